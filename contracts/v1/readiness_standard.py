"""Readiness-standard messages, major version 1.

The readiness standards a site's go-live and a service line's authorization are judged
against are the PC's to set (decision rights: `site_go_live`, "against the readiness
standards"; `service_line_authorization`). The Medical Director approves each version
of a standard: a list of checklist items, each with a key, what it asks and whether it
is met only on a named document. The MSO's readiness checklist is the version in force:
it is in force from its approval until the next version's approval or the standard's
retirement.
"""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel
from contracts.v1.authorization import DecisionBasis

StandardKind = Literal["site_go_live", "service_line"]
ItemKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]


class StandardItem(ContractModel):
    key: ItemKey = Field(description="What the MSO records evidence under")
    text: str = Field(min_length=1, max_length=500, description="What the item asks")
    evidence_required: bool = Field(description="Met only on a named document")


class _StandardVersion(ContractMessage):
    standard_id: UUID
    version: int = Field(ge=1)
    kind: StandardKind
    service_line: str | None = Field(
        default=None, max_length=64, description="For kind service_line: which line; else null"
    )


class ReadinessStandardApprovedV1(_StandardVersion):
    """This version is in force from its approval; it replaces the standard's earlier one."""

    TYPE: ClassVar[str] = "readiness-standard.approved"
    VERSION: ClassVar[int] = 1

    items: list[StandardItem] = Field(min_length=1, max_length=50)
    decision_id: UUID = Field(description="The PC decision that approved this version")
    basis: DecisionBasis
    approved_at: AwareDatetime


class ReadinessStandardRetiredV1(_StandardVersion):
    """The standard is no longer in force: a request of its kind waits for a new version."""

    TYPE: ClassVar[str] = "readiness-standard.retired"
    VERSION: ClassVar[int] = 1

    reason: str = Field(min_length=1, max_length=500)
    decision_id: UUID
    retired_at: AwareDatetime
