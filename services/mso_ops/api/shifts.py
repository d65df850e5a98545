"""Shifts at sites, the staff assigned to them, and the coverage gaps they leave."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from mhg import problems
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter, site_and_days
from services.mso_ops.api.dependencies import MsoReader, ShiftScheduler, Staffing
from services.mso_ops.api.staffing_schemas import (
    AssignIn,
    ReasonIn,
    ShiftIn,
    ShiftOut,
    ShiftRow,
)
from services.mso_ops.application.staffing import StaffingCommands
from services.mso_ops.domain.shift import Shift

router = APIRouter(tags=["staffing"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


def shift_out(staffing: StaffingCommands, shift: Shift) -> ShiftOut:
    return ShiftOut.of(shift, staffing.shift_shortfalls(shift))


@router.post(
    "/shifts",
    operation_id="scheduleShift",
    summary="Schedule a shift at a site (start, end, and whether it needs clinical coverage)",
    description=(
        "Patient volume per clinician and clinician hours are the PC's decisions: a shift "
        "carries times and, if it needs clinical coverage, may name the PC visit template it "
        "staffs (422 on `template_id` unless the PC has sent it). A shift that needs clinical "
        "coverage is judged against the PC's eligibility and supervision rules and its "
        "template; a shortfall is a coverage gap, not a refusal."
    ),
    status_code=201,
    response_model=ShiftOut,
    responses=problems.responses(401, 403, 404, 422),
)
def schedule_shift(
    body: ShiftIn,
    request: Request,
    rt: Runtime,
    staffing: Staffing,
    caller: ShiftScheduler,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(shift_id: UUID) -> dict[str, Any]:
        shift = staffing.schedule_shift(shift_id=shift_id, meta=meta, **body.model_dump())
        return shift_out(staffing, shift).model_dump(mode="json")

    def existing(shift_id: UUID) -> dict[str, Any] | None:
        if not staffing.shift_exists(shift_id):
            return None
        return shift_out(staffing, staffing.shift(shift_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "scheduleShift",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/shifts/{b['id']}",
    )


@router.get(
    "/shifts",
    operation_id="listShifts",
    summary="Shifts in the order they were scheduled",
    response_model=Page[ShiftRow],
    responses=problems.responses(401, 403, 422),
)
def list_shifts(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["scheduled", "cancelled"] | None = None,
    needs_clinical_coverage: bool | None = None,
    staff_id: Annotated[UUID | None, Query(description="Shifts this person is on")] = None,
) -> Page[ShiftRow]:
    table = rt.store.metadata.tables["mso_shifts"]
    filters = site_and_days(table, site, from_, to)
    if status:
        filters.append(table.c.status == status)
    if needs_clinical_coverage is not None:
        filters.append(table.c.needs_clinical_coverage == needs_clinical_coverage)
    if staff_id:
        on_shift = rt.store.metadata.tables["mso_shift_staff"]
        filters.append(
            table.c.id.in_(select(on_shift.c.shift_id).where(on_shift.c.staff_id == staff_id))
        )
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ShiftRow](items=[ShiftRow.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/shifts/{shift_id}",
    operation_id="getShift",
    summary="One shift, its staff, and its coverage against the PC's rules",
    response_model=ShiftOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_shift(
    shift_id: UUID, response: Response, staffing: Staffing, _caller: MsoReader
) -> ShiftOut:
    shift = staffing.shift(shift_id)
    set_etag(response, shift.version)
    return shift_out(staffing, shift)


@router.post(
    "/shifts/{shift_id}/assignments",
    operation_id="assignStaffToShift",
    summary="Assign a staff member to a shift (a coverage shortfall is shown, not refused)",
    status_code=201,
    response_model=ShiftOut,
    responses=UPDATING,
)
def assign_staff(
    shift_id: UUID,
    body: AssignIn,
    request: Request,
    rt: Runtime,
    staffing: Staffing,
    caller: ShiftScheduler,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(_id: UUID) -> dict[str, Any]:
        shift = staffing.assign_to_shift(
            shift_id=shift_id, staff_id=body.staff_id, expected_version=version, meta=meta
        )
        return shift_out(staffing, shift).model_dump(mode="json")

    def existing(_id: UUID) -> dict[str, Any] | None:
        return None  # one assignment per person and shift: a repeat is a 409

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"assignStaffToShift:{shift_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/shifts/{b['id']}",
    )


@router.post(
    "/shifts/{shift_id}/assignments/{staff_id}/release",
    operation_id="releaseStaffFromShift",
    summary="Take a staff member off a shift, with a reason",
    response_model=ShiftOut,
    responses=UPDATING,
)
def release_staff(
    shift_id: UUID,
    staff_id: UUID,
    body: ReasonIn,
    request: Request,
    response: Response,
    staffing: Staffing,
    caller: ShiftScheduler,
    if_match: IfMatch = None,
) -> ShiftOut:
    shift = staffing.release_from_shift(
        shift_id=shift_id,
        staff_id=staff_id,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, shift.version)
    return shift_out(staffing, shift)


@router.post(
    "/shifts/{shift_id}/cancel",
    operation_id="cancelShift",
    summary="Cancel a shift, with a reason (it no longer counts as a coverage gap)",
    response_model=ShiftOut,
    responses=UPDATING,
)
def cancel_shift(
    shift_id: UUID,
    body: ReasonIn,
    request: Request,
    response: Response,
    staffing: Staffing,
    caller: ShiftScheduler,
    if_match: IfMatch = None,
) -> ShiftOut:
    shift = staffing.cancel_shift(
        shift_id=shift_id,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, shift.version)
    return shift_out(staffing, shift)
