"""Shifts at sites, the staff assigned to them, and the coverage gaps they leave."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.changes import Change
from mhg.creation import creates, recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps, changing
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import MsoReader, ShiftScheduler, Staffing
from services.mso_ops.api.staffing.schemas import (
    AssignIn,
    ChangeReasonIn,
    ShiftIn,
    ShiftOut,
    ShiftRow,
)
from services.mso_ops.application.staffing import StaffingCommands
from services.mso_ops.domain.shift import Shift
from services.mso_ops.projections import staffing as staffing_rows

router = APIRouter(tags=["staffing"])


SHIFTS = Listing(staffing_rows.SHIFTS, ShiftRow)


def shift_out(staffing: StaffingCommands, shift: Shift) -> ShiftOut:
    return ShiftOut.of(shift, staffing.shift_shortfalls(shift))


SHIFT = Steps(router, "/shifts/{shift_id}", Staffing, shift_out, asks_capability=True)
SHIFT.created(
    "scheduleShift",
    "Schedule a shift at a site (start, end, and whether it needs clinical coverage)",
    ShiftIn,
    ShiftScheduler,
    lambda staffing: staffing.schedule_shift,
    (401, 403, 404, 422),
    find=lambda staffing: recorded(staffing.shift_exists, staffing.shift),
    description=(
        "Patient volume per clinician and clinician hours are the PC's decisions: a shift "
        "carries times and, if it needs clinical coverage, may name the PC visit template it "
        "staffs (422 on `template_id` unless the PC has sent it). A shift that needs clinical "
        "coverage is judged against the PC's eligibility and supervision rules and its "
        "template; a shortfall is a coverage gap, not a refusal."
    ),
)


@listed(router, "/shifts", "listShifts", SHIFTS, MsoReader)
def list_shifts(
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["scheduled", "cancelled"] | None = None,
    needs_clinical_coverage: bool | None = None,
    staff_id: Annotated[UUID | None, Query(description="Shifts this person is on")] = None,
) -> None:
    """Shifts in the order they were scheduled"""


SHIFT.shown(
    "getShift",
    "One shift, its staff, and its coverage against the PC's rules",
    MsoReader,
    lambda staffing: staffing.shift,
)


creates(
    router,
    "/shifts/{shift_id}/assignments",
    "assignStaffToShift",
    "Assign a staff member to a shift (a coverage shortfall is shown, not refused)",
    AssignIn,
    ShiftScheduler,
    Staffing,
    # one assignment per person and shift: a repeat is the command's 409
    lambda staffing: staffing.assign_to_shift,
    shift_out,
    (401, 403, 404, 409, 412, 422),
    location="/shifts/{id}",
    versioned=True,
    asks_capability=True,
)


@changing(router, "/shifts/{shift_id}/assignments/{staff_id}/release", "releaseStaffFromShift")
def release_staff(
    shift_id: UUID,
    staff_id: UUID,
    body: ChangeReasonIn,
    staffing: Staffing,
    caller: ShiftScheduler,
    change: Change,
) -> ShiftOut:
    """Take a staff member off a shift, with a reason"""
    shift = change(
        caller, staffing.release_from_shift, body=body, shift_id=shift_id, staff_id=staff_id
    )
    return shift_out(staffing, shift)


SHIFT.step(
    "cancel",
    "cancelShift",
    "Cancel a shift, with a reason (it no longer counts as a coverage gap)",
    ChangeReasonIn,
    ShiftScheduler,
    lambda staffing: staffing.cancel_shift,
)
