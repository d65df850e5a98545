"""Request and response bodies of staff, shifts, coverage gaps and the PC's staffing rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Instant, Line
from mhg.views import showing
from services.mso_ops.api.schemas import Reason, Strict, example
from services.mso_ops.domain.clinical_standing import ClinicianStanding, SupervisionRules
from services.mso_ops.domain.coverage import Shortfall
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.staff import StaffMember

Name = Annotated[str, Line(200, min_length=1)]
ShortfallReason = TypeAliasType(
    "ShortfallReason",
    Literal[
        "no_eligible_clinician",
        "clinician_not_eligible",
        "app_without_supervisor",
        "supervisor_over_capacity",
        "template_not_in_force",
        "shift_over_template_hours",
        "role_not_in_template",
    ],
)


class ClinicalStaffIn(Strict):
    """A PC clinician the PC has published: name and role come from the PC."""

    model_config = example(
        {"kind": "clinical", "clinician_id": "6f2d0c7e-2f7c-4d7a-9a64-1f3e0b8c5d21"}
    )
    kind: Literal["clinical"]
    clinician_id: UUID = Field(description="The PC's clinician id, as its feed published it")
    home_site_id: UUID | None = None


class EmployeeIn(Strict):
    model_config = example(
        {"kind": "non_clinical", "name": "Sam Rivera", "job_title": "Front desk"}
    )
    kind: Literal["non_clinical"]
    name: Name
    job_title: Annotated[str, Line(100, min_length=1)]
    home_site_id: UUID | None = None


class StaffOut(BaseModel):
    id: UUID
    kind: str
    name: str
    job_title: str
    clinician_id: UUID | None
    clinical_role: str | None = Field(description="The role the PC gives the clinician")
    eligible: bool | None = Field(description="Whether the PC lists the clinician eligible now")
    home_site_id: UUID | None
    registered_by: str
    version: int

    @classmethod
    def of(cls, member: StaffMember, standing: ClinicianStanding | None) -> StaffOut:
        return showing(
            cls,
            member,
            clinical_role=standing.role if standing else None,
            eligible=standing.eligible if standing else None,
        )


class StaffRow(BaseModel):
    id: UUID
    kind: str
    name: str
    job_title: str
    clinician_id: UUID | None
    clinical_role: str | None
    eligible: bool | None
    home_site_id: UUID | None
    registered_at: datetime


class ShiftIn(Strict):
    """Times, and the PC visit template a clinical shift staffs: volume and hours are the PC's."""

    model_config = example(
        {
            "site_id": "0b7c5a8e-1d2f-4e3a-9b6c-7d8e9f0a1b2c",
            "start": "2027-01-11T08:00:00-08:00",
            "end": "2027-01-11T16:00:00-08:00",
            "needs_clinical_coverage": True,
            "label": "Sports clearance clinic",
            "template_id": "9d5e2c71-3a4b-4c6d-8e9f-0a1b2c3d4e5f",
        }
    )
    site_id: UUID
    start: Instant
    end: Instant
    needs_clinical_coverage: bool
    label: Annotated[str, Line(200, min_length=0)] | None = None
    template_id: UUID | None = Field(
        default=None,
        description=(
            "The PC visit template the shift staffs (only on a shift that needs clinical "
            "coverage): a shift longer than its clinician hours a day, a clinician whose role it "
            "does not list, or a day it is not in force on is a coverage gap"
        ),
    )


class AssignIn(Strict):
    model_config = example({"staff_id": "3c9a7e21-4b5d-4f6e-8a1b-2c3d4e5f6a7b"})
    staff_id: UUID


class ChangeReasonIn(Strict):
    model_config = example(
        {"reason": "Entered in error: duplicates another entry for the same day"}
    )
    reason: Reason


class ShortfallOut(BaseModel):
    reason: ShortfallReason
    clinician_id: UUID | None
    detail: str

    @classmethod
    def of(cls, shortfall: Shortfall) -> ShortfallOut:
        return cls.model_validate(shortfall, from_attributes=True)


class CoverageOut(BaseModel):
    covered: bool = Field(description="False: the shift is a coverage gap (it is saved anyway)")
    shortfalls: list[ShortfallOut]


class OnShiftOut(BaseModel):
    staff_id: UUID
    kind: str
    clinician_id: UUID | None


class ShiftOut(BaseModel):
    id: UUID
    site_id: UUID
    start: datetime
    end: datetime
    day: date
    needs_clinical_coverage: bool
    label: str | None
    template_id: UUID | None
    status: str
    staff: list[OnShiftOut]
    coverage: CoverageOut = Field(
        description="Against the eligibility and supervision rules the MSO holds from the PC now"
    )
    cancellation_reason: str | None
    version: int

    @classmethod
    def of(cls, shift: Shift, shortfalls: list[Shortfall]) -> ShiftOut:
        return showing(
            cls,
            shift,
            staff=[
                OnShiftOut.model_validate(s, from_attributes=True) for s in shift.staff.values()
            ],
            coverage=CoverageOut(
                covered=not shortfalls, shortfalls=[ShortfallOut.of(s) for s in shortfalls]
            ),
        )


class ShiftRow(BaseModel):
    id: UUID
    site_id: UUID
    day: date
    start: datetime
    end: datetime
    needs_clinical_coverage: bool
    label: str | None
    template_id: UUID | None
    status: str
    staff_count: int


class CoverageGapRow(BaseModel):
    shift_id: UUID
    site_id: UUID
    day: date
    start: datetime
    end: datetime
    label: str | None
    reasons: list[ShortfallOut]
    opened_at: datetime
    updated_at: datetime


class EligibilityRow(BaseModel):
    clinician_id: UUID
    name: str
    role: str
    eligible: bool
    reason: str
    effective_at: datetime


class PairingOut(BaseModel):
    assignment_id: UUID
    app_id: UUID
    physician_id: UUID
    effective_from: date
    effective_to: date | None


class PcSupervisionRulesOut(BaseModel):
    max_apps_per_physician: int
    chart_review_share_percent: int
    assignments: list[PairingOut]
    published_at: datetime
    version: int

    @classmethod
    def of(cls, rules: SupervisionRules) -> PcSupervisionRulesOut:
        assignments = [PairingOut.model_validate(a) for a in rules.assignments]
        return showing(cls, rules, assignments=assignments)
