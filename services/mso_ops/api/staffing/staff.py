"""The staff list, and the PC's clinician eligibility and supervision rules as received."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing
from mhg.meta import Meta
from services.mso_ops.api.dependencies import ClinicalStanding, MsoAdmin, MsoReader, Staffing
from services.mso_ops.api.staffing.schemas import (
    ClinicalStaffIn,
    EligibilityRow,
    EmployeeIn,
    PcSupervisionRulesOut,
    StaffOut,
    StaffRow,
)
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.projections import staffing as staffing_rows

router = APIRouter(tags=["staffing"])

ClinicianRole = Literal["physician", "medical_director", "np", "pa"]

STAFF = Listing(staffing_rows.STAFF, StaffRow)
ELIGIBILITY = Listing(staffing_rows.ELIGIBILITY, EligibilityRow)


def staff_out(clinical_standing: ClinicalStandingCommands, member: StaffMember) -> StaffOut:
    standing = (
        clinical_standing.clinician_standing(member.clinician_id)
        if member.clinician_id is not None
        else None
    )
    return StaffOut.of(member, standing)


@created(
    router,
    "/staff",
    "registerStaffMember",
    StaffOut,
    (401, 403, 404, 409, 422),
    description=(
        "A clinical staff member is one of the PC's clinicians: only a clinician the PC has "
        "published through its feed can be added, once, with the name and role the PC gave. "
        "Their eligibility is the PC's and follows its feed."
    ),
)
def register_staff_member(
    body: Annotated[ClinicalStaffIn | EmployeeIn, Body(discriminator="kind")],
    create: Create,
    clinical_standing: ClinicalStanding,
    staffing: Staffing,
    caller: MsoAdmin,
) -> JSONResponse:
    """Add a PC clinician (as published by the PC) or a non-clinical employee to the staff"""

    def make(staff_id: UUID, meta: Meta) -> StaffMember:
        if isinstance(body, ClinicalStaffIn):
            return staffing.register_clinical_staff(
                clinician_id=body.clinician_id, home_site_id=body.home_site_id, meta=meta
            )
        return staffing.register_employee(
            staff_id=staff_id,
            name=body.name,
            job_title=body.job_title,
            home_site_id=body.home_site_id,
            meta=meta,
        )

    def find(staff_id: UUID) -> StaffMember | None:
        if isinstance(body, ClinicalStaffIn) or not staffing.staff_member_exists(staff_id):
            return None  # a clinician's staff id is fixed by the PC's id: a repeat is a 409
        return staffing.staff_member(staff_id)

    return create(
        caller,
        body,
        make=make,
        find=find,
        answer=lambda member: staff_out(clinical_standing, member),
        location="/staff/{id}",
    )


@listed(router, "/staff", "listStaff", STAFF, MsoReader)
def list_staff(
    kind: Literal["clinical", "non_clinical"] | None = None,
    site: Annotated[UUID | None, Query(description="Home site")] = None,
    eligible: bool | None = None,
    clinician_id: UUID | None = None,
) -> None:
    """Staff in the order they were added"""


@shown(router, "/staff/{staff_id}", "getStaffMember", MsoReader)
def get_staff_member(
    staff_id: UUID, clinical_standing: ClinicalStanding, staffing: Staffing
) -> StaffOut:
    """One staff member, with the PC's current eligibility for a clinician"""
    return staff_out(clinical_standing, staffing.staff_member(staff_id))


@listed(router, "/clinician-eligibility", "listClinicianEligibility", ELIGIBILITY, MsoReader)
def list_clinician_eligibility(
    role: ClinicianRole | None = None, eligible: bool | None = None
) -> None:
    """The PC's clinicians and whether each may practise, as the PC's feed last said"""


@shown(router, "/supervision-rules", "getPcSupervisionRules", MsoReader)
def get_supervision_rules(clinical_standing: ClinicalStanding) -> PcSupervisionRulesOut:
    """The supervision rules the MSO must staff to, as the PC last published them"""
    return PcSupervisionRulesOut.of(clinical_standing.supervision_rules())
