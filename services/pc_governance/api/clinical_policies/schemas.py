"""Request and response bodies of the coding-rules and records-policy routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from mhg.bounded import Day, Line, Prose
from services.pc_governance.api.document_schemas import (
    DecidedVersionOut,
    DocumentRecordOut,
    DocumentStatus,
    DocumentVersionStatus,
)
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.schemas import BasisIn, Strict, with_example

Name = Annotated[str, Line(200, min_length=1)]
Status = DocumentStatus


class ServiceCodeIn(Strict):
    code: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9.\-]{1,16}$", min_length=1, max_length=16)
    ] = Field(description="A CPT-like procedure code", examples=["99394"])
    description: Annotated[str, Line(200, min_length=1)]
    fee_cents: int = Field(ge=0, le=100_000_000, description="The PC's fee, in US cents")
    coding_note: Annotated[str, Prose(1000, min_length=0)] = ""


class CodingTermsIn(Strict):
    """One version of the coding rules: the codes billed for the line, each with its fee."""

    model_config = with_example(
        codes=[
            {
                "code": "99394",
                "description": "Preventive visit, established patient, 12-17 years",
                "fee_cents": 15000,
                "coding_note": "Sports clearance with full history and exam",
            }
        ]
    )
    codes: list[ServiceCodeIn] = Field(min_length=1, max_length=200)


class CodingRulesIn(CodingTermsIn):
    """A service line's coding rules and fee schedule, its first version a draft."""

    model_config = with_example(
        name="Sports clearance coding, 2027",
        service_line="sports_clearance",
        codes=[{"code": "99394", "description": "Preventive visit, 12-17", "fee_cents": 15000}],
    )
    name: Name
    service_line: ServiceLineCode


class RetentionIn(Strict):
    record_type: Annotated[str, Line(100, min_length=1)] = Field(examples=["adult chart"])
    retention_years: int = Field(ge=1, le=100)


class ReleaseIn(Strict):
    recipient: Annotated[str, Line(100, min_length=1)] = Field(
        description="Who may receive records", examples=["school athletic department"]
    )
    authorization: Annotated[str, Line(200, min_length=1)] = Field(
        description="What authorization the release requires",
        examples=["signed parent or guardian authorization (HIPAA 164.508)"],
    )
    turnaround_days: int = Field(ge=0, le=365, description="At most this many days to release")


class RecordsTermsIn(Strict):
    """One version of the medical-records policy: how long records are kept, who may
    receive them, on what authorization and how soon."""

    model_config = with_example(
        retention=[{"record_type": "minor's chart", "retention_years": 25}],
        release=[
            {
                "recipient": "school athletic department",
                "authorization": "signed parent or guardian authorization",
                "turnaround_days": 5,
            }
        ],
    )
    retention: list[RetentionIn] = Field(min_length=1, max_length=50)
    release: list[ReleaseIn] = Field(min_length=1, max_length=50)


class RecordsPolicyIn(RecordsTermsIn):
    model_config = with_example(
        name="Medical-records policy",
        retention=[{"record_type": "adult chart", "retention_years": 7}],
        release=[{"recipient": "the patient", "authorization": "photo ID", "turnaround_days": 30}],
    )
    name: Name


class ApprovePolicyIn(Strict):
    model_config = with_example(
        effective_from="2027-01-04",
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-044"},
    )
    effective_from: Day = Field(description="Today or later, after the standing version's")
    basis: BasisIn


class RetirePolicyIn(Strict):
    model_config = with_example(
        reason="Replaced by the 2028 document",
        ended_on="2027-12-31",
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-050"},
    )
    reason: Annotated[str, Line(500, min_length=1)]
    ended_on: Day = Field(description="Today or later: not in force from this day on")
    basis: BasisIn


class PolicyVersionTerms(BaseModel):
    number: int
    status: DocumentVersionStatus
    terms: dict[str, Any] = Field(
        description="codes (coding rules), or retention and release (records policy)"
    )


class PolicyVersionOut(DecidedVersionOut, PolicyVersionTerms):
    pass  # its terms first, then how it was decided (api/document_schemas.py)


class PolicyRetirementOut(BaseModel):
    ended_on: date
    reason: str
    decision_id: UUID
    retired_by: str
    retired_at: datetime


class PolicyIdentity(BaseModel):
    id: UUID
    kind: Literal["coding_rules", "records_policy"]
    name: str
    service_line: str | None = Field(description="The line coding rules apply to")
    status: Status


class ClinicalPolicyOut(DocumentRecordOut[PolicyVersionOut, PolicyRetirementOut], PolicyIdentity):
    pass  # read off its aggregate (DocumentRecordOut.of)


class ClinicalPolicyRow(BaseModel):
    id: UUID
    kind: str
    name: str
    service_line: str | None
    status: Status
    latest_version: int
    standing_version: int | None
    effective_from: date | None = Field(description="When the standing version takes effect")
    ended_on: date | None = Field(description="When a retired document stopped being in force")
    created_at: datetime


class VersionInForceRow(BaseModel):
    policy_id: UUID
    name: str
    service_line: str | None
    number: int
    effective_from: date
    ended_on: date | None
    decision_id: UUID
    terms: dict[str, Any]
