"""Clinical-policy messages, major version 1: coding rules and the medical-records policy.

Two decision rights of the PC (docs/decision-rights.md) are versioned documents the
Medical Director approves: the coding rules and fee schedule of the PC's clinical
services, and the medical-records policy (retention and release). Each message carries
one document's approved versions whole, each with the days it is in force (from
`effective_from`, until the day before `ended_on`), and replaces the consumer's earlier
copy of that document. The MSO bills under the coding rules in force on a service date
and releases records under the policy in force.
"""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel
from contracts.v1.authorization import DecisionBasis

MAX_VERSIONS = 1000


class ServiceCode(ContractModel):
    code: str = Field(min_length=1, max_length=16, description="A CPT-like procedure code")
    description: str = Field(min_length=1, max_length=200)
    fee_cents: int = Field(ge=0, le=100_000_000, description="The PC's fee, in US cents")
    coding_note: str = Field(default="", max_length=1000)


class RetentionRule(ContractModel):
    record_type: str = Field(min_length=1, max_length=100)
    retention_years: int = Field(ge=1, le=100)


class ReleaseRule(ContractModel):
    recipient: str = Field(min_length=1, max_length=100, description="Who may receive records")
    authorization: str = Field(
        min_length=1, max_length=200, description="What authorization the release requires"
    )
    turnaround_days: int = Field(ge=0, le=365, description="At most this many days to release")


class _PublishedVersion(ContractModel):
    version: int = Field(ge=1)
    effective_from: date
    ended_on: date | None = Field(description="First day not in force; null while open")
    decision_id: UUID = Field(description="The PC decision that approved the version")
    basis: DecisionBasis
    approved_at: AwareDatetime


class CodingRulesVersion(_PublishedVersion):
    codes: list[ServiceCode] = Field(min_length=1, max_length=200)


class RecordsPolicyVersion(_PublishedVersion):
    retention: list[RetentionRule] = Field(min_length=1, max_length=50)
    release: list[ReleaseRule] = Field(min_length=1, max_length=50)


class _PolicyPublished(ContractMessage):
    document_id: UUID
    name: str = Field(min_length=1, max_length=200)
    decision_id: UUID = Field(description="The decision this message announces")
    decided: Literal["approved", "retired"]
    decided_at: AwareDatetime


class CodingRulesPublishedV1(_PolicyPublished):
    """The coding rules and fee schedule of one service line, every approved version."""

    TYPE: ClassVar[str] = "coding-rules.published"
    VERSION: ClassVar[int] = 1

    service_line: str = Field(min_length=1, max_length=64)
    versions: list[CodingRulesVersion] = Field(max_length=MAX_VERSIONS)


class RecordsPolicyPublishedV1(_PolicyPublished):
    """The medical-records policy (retention, release), every approved version."""

    TYPE: ClassVar[str] = "records-policy.published"
    VERSION: ClassVar[int] = 1

    versions: list[RecordsPolicyVersion] = Field(max_length=MAX_VERSIONS)
