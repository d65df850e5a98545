"""Booking appointments: allowed only under a PC authorization in force."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.access_log import RecordsPatientReads
from mhg.bounded import Instant
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import AppointmentReader, Appointments, Booker
from services.mso_ops.api.disclosure import disclosed
from services.mso_ops.api.schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentRow,
    CancelIn,
    ServiceLineCode,
)
from services.mso_ops.api.scope import check_booking_scope, check_site_scope, scoped_bookings

router = APIRouter(tags=["appointments"])


@router.post(
    "/appointments",
    operation_id="bookAppointment",
    summary="Book an appointment for a service line at a site",
    description=(
        "Refused with 409 `site-not-live` unless the site is live (the PC approved its "
        "go-live and the MSO opened it; `site-not-operating` while suspended, `site-closed` "
        "once closed), and with 409 `service-line-not-authorized` unless a PC authorization "
        "for the service line at the site is in force and effective on the appointment's "
        "date. The booking records the authorization and decision it was made under."
    ),
    status_code=201,
    response_model=AppointmentOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def book_appointment(
    body: AppointmentIn,
    request: Request,
    rt: Runtime,
    appointments: Appointments,
    caller: Booker,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    check_site_scope(caller, body.site_id)
    meta = command_meta(request, caller)

    def create(appointment_id: UUID) -> dict[str, object]:
        appointment = appointments.book_appointment(
            appointment_id=appointment_id,
            site_id=body.site_id,
            code=body.service_line,
            start=body.start,
            minutes=body.minutes,
            patient=body.patient.model_dump(mode="json"),
            requested_by=body.requested_by,
            meta=meta,
        )
        return AppointmentOut.of(appointment).model_dump(mode="json")

    def existing(appointment_id: UUID) -> dict[str, object] | None:
        if not appointments.appointment_exists(appointment_id):
            return None
        return AppointmentOut.of(appointments.appointment(appointment_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "bookAppointment",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/appointments/{b['id']}",
    )


@router.get(
    "/appointments",
    operation_id="listAppointments",
    summary="Appointments in booking order (no patient data; read one to see it)",
    response_model=Page[AppointmentRow],
    responses=problems.responses(401, 403, 422),
)
def list_appointments(
    rt: Runtime,
    caller: AppointmentReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    status: Annotated[str | None, Query(max_length=30)] = None,
    start_from: Annotated[
        Instant | None, Query(description="Appointments starting at or after")
    ] = None,
    start_before: Annotated[
        Instant | None, Query(description="Appointments starting before")
    ] = None,
) -> Page[AppointmentRow]:
    table = rt.store.metadata.tables["mso_appointments"]
    filters: list[ColumnElement[bool]] = scoped_bookings(caller, table)
    if site_id:
        filters.append(table.c.site_id == site_id)
    if service_line:
        filters.append(table.c.service_line == service_line)
    if status:
        filters.append(table.c.status == status)
    if start_from:
        filters.append(table.c.start >= start_from)
    if start_before:
        filters.append(table.c.start < start_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[AppointmentRow](
        items=[AppointmentRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/appointments/{appointment_id}",
    operation_id="getAppointment",
    summary="One appointment, with the minimum patient data",
    response_model=AppointmentOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_appointment(
    appointment_id: UUID,
    response: Response,
    appointments: Appointments,
    caller: AppointmentReader,
    record_read: RecordsPatientReads,
) -> AppointmentOut:
    appointment = appointments.appointment(appointment_id)
    check_booking_scope(caller, appointment)
    set_etag(response, appointment.version)
    return disclosed(record_read, caller, appointment)


@router.post(
    "/appointments/{appointment_id}/cancel",
    operation_id="cancelAppointment",
    summary="Cancel a booked appointment, with a reason",
    response_model=AppointmentOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def cancel_appointment(
    appointment_id: UUID,
    body: CancelIn,
    request: Request,
    response: Response,
    appointments: Appointments,
    caller: Booker,
    record_read: RecordsPatientReads,
    if_match: IfMatch = None,
) -> AppointmentOut:
    check_booking_scope(caller, appointments.appointment(appointment_id))
    appointment = appointments.cancel_appointment(
        appointment_id=appointment_id,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, appointment.version)
    return disclosed(record_read, caller, appointment)
