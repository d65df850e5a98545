"""Request and response bodies of the visit-template routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from mhg.bounded import Day, Line
from services.pc_governance.api.document_schemas import (
    DecidedVersionOut,
    DocumentRecordOut,
    DocumentStatus,
    DocumentVersionStatus,
    RetirementOut,
)
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.schemas import BasisIn, Strict, with_example
from services.pc_governance.domain.visit_terms import VisitTerms

ClinicianRole = Literal["physician", "medical_director", "np", "pa"]
Name = Annotated[str, Line(200, min_length=1)]
Status = DocumentStatus
Reason = Annotated[str, Line(500, min_length=1)]

TERMS_EXAMPLE: dict[str, JsonValue] = {
    "name": "Sports clearance, campus sites",
    "service_line": "sports_clearance",
    "site_ids": ["3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d"],
    "clinician_roles": ["physician", "np", "pa"],
    "visit_minutes": 20,
    "max_patients_per_clinician_hour": 3,
    "max_clinician_hours_per_day": 8,
}


class TermsIn(Strict):
    """One version's terms; the volume must fit the visit (patients x minutes <= 60)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TERMS_EXAMPLE]})
    name: Name
    service_line: ServiceLineCode
    site_ids: list[UUID] | None = Field(
        default=None, min_length=1, max_length=500, description="Omit or null for all sites"
    )
    clinician_roles: list[ClinicianRole] = Field(min_length=1, max_length=4)
    visit_minutes: int = Field(ge=5, le=480)
    max_patients_per_clinician_hour: int = Field(ge=1, le=60)
    max_clinician_hours_per_day: int = Field(ge=1, le=24)

    def terms(self) -> VisitTerms:
        return VisitTerms.checked(**self.model_dump())


class ApproveTemplateIn(Strict):
    model_config = with_example(
        effective_from="2027-01-04",
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-021"},
    )
    effective_from: Day = Field(description="Today or later, after the standing version's")
    basis: BasisIn = Field(
        description="A meeting_decision names the decision id of a carried motion"
    )


class RetireTemplateIn(Strict):
    model_config = with_example(
        reason="Campus clinics close for the summer; no sports clearances",
        ended_on="2027-06-15",
        basis={"kind": "medical_director_act", "reference": "MD-ACT-2026-030"},
    )
    reason: Reason
    ended_on: Day = Field(description="Today or later: not in force from this day on")
    basis: BasisIn


class TermsOut(BaseModel):
    name: str
    service_line: str
    site_ids: list[UUID] | None = Field(description="null: all sites")
    clinician_roles: list[str]
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int


class TemplateVersionTerms(BaseModel):
    number: int
    status: DocumentVersionStatus
    revision: int
    terms: TermsOut


class TemplateVersionOut(DecidedVersionOut, TemplateVersionTerms):
    pass  # its terms first, then how it was decided (api/document_schemas.py)


class TemplateIdentity(BaseModel):
    id: UUID
    status: Status


class VisitTemplateOut(DocumentRecordOut[TemplateVersionOut, RetirementOut], TemplateIdentity):
    pass  # read off its aggregate (DocumentRecordOut.of)


class VisitTemplateRow(TermsOut):
    id: UUID
    status: Status
    latest_version: int
    latest_status: str
    standing_version: int | None
    effective_from: date | None = Field(description="When the standing version takes effect")
    ended_on: date | None = Field(description="When a retired template stopped being in force")
    created_at: datetime
