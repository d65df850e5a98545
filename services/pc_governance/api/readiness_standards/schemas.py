"""Request and response bodies of the readiness-standard routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue
from typing_extensions import TypeAliasType

from mhg.bounded import Line
from services.pc_governance.api.document_schemas import (
    DecidedVersionOut,
    DocumentStatus,
    DocumentVersionStatus,
    RetirementOut,
)
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.schemas import BasisIn, Strict, number_of, read_off, with_example
from services.pc_governance.domain.readiness_items import (
    StandardItem,
    checked_items,
    checked_subject,
)
from services.pc_governance.domain.readiness_standard import ReadinessStandard

StandardKind = TypeAliasType("StandardKind", Literal["site_go_live", "service_line"])
Status = DocumentStatus
ItemKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Reason = Annotated[str, Line(500, min_length=1)]

ITEMS_EXAMPLE: list[JsonValue] = [
    {"key": "lease", "text": "Lease signed for the clinic space", "evidence_required": True},
    {"key": "fire_inspection", "text": "Fire marshal sign-off", "evidence_required": True},
    {"key": "signage", "text": "Hours and PC name posted", "evidence_required": False},
]


class StandardItemIn(Strict):
    key: ItemKey = Field(description="What the MSO records evidence under")
    text: Annotated[str, Line(500, min_length=1)] = Field(description="What the item asks")
    evidence_required: bool = Field(description="Met only on a named document")


class StandardItemsIn(Strict):
    """One version's checklist: 1 to 50 items, keys distinct."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"items": ITEMS_EXAMPLE}]}
    )
    items: list[StandardItemIn] = Field(min_length=1, max_length=50)

    def checked(self) -> tuple[StandardItem, ...]:
        return checked_items([item.model_dump() for item in self.items])


class StandardIn(StandardItemsIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"kind": "site_go_live", "items": ITEMS_EXAMPLE}]},
    )
    kind: StandardKind
    service_line: ServiceLineCode | None = Field(
        default=None, description="The line of a service_line standard; omitted for go-live"
    )

    def subject(self) -> tuple[str, str | None]:
        return checked_subject(self.kind, self.service_line)


class ApproveStandardIn(Strict):
    model_config = with_example(
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-040"}
    )
    basis: BasisIn = Field(
        description="A meeting_decision names the decision id of a carried motion"
    )


class RetireStandardIn(Strict):
    model_config = with_example(
        reason="Replaced by the county's new clinic standard",
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-041"},
    )
    reason: Reason
    basis: BasisIn


class StandardItemOut(BaseModel):
    key: str
    text: str
    evidence_required: bool


class StandardVersionItems(BaseModel):
    number: int
    status: DocumentVersionStatus
    revision: int
    items: list[StandardItemOut]


class StandardVersionOut(DecidedVersionOut, StandardVersionItems):
    # its items first, then how it was decided (api/document_schemas.py), these two in place
    effective_from: date | None = Field(description="The day it was approved")
    ended_on: date | None = Field(description="The day it was superseded or retired")


class ReadinessStandardOut(BaseModel):
    id: UUID
    kind: StandardKind
    service_line: str | None
    status: Status
    created_at: datetime
    created_by: str
    version_in_force: int | None = Field(description="The approved version in force")
    retirement: RetirementOut | None
    versions: list[StandardVersionOut]
    version: int

    @classmethod
    def of(cls, s: ReadinessStandard) -> ReadinessStandardOut:
        return read_off(s, cls, version_in_force=number_of(s.standing))


class StandardInForceOut(BaseModel):
    """The version of a subject's standard in force: what a request is judged against."""

    standard_id: UUID
    kind: StandardKind
    service_line: str | None
    version: int
    items: list[StandardItemOut]
    decision_id: UUID | None
    approved_at: datetime | None


class ReadinessStandardRow(BaseModel):
    id: UUID
    kind: StandardKind
    service_line: str | None
    status: Status
    latest_version: int
    latest_status: str
    version_in_force: int | None
    items_in_force: int | None
    in_force_since: datetime | None
    created_at: datetime
    created_by: str
