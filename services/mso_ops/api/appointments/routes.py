"""Booking appointments: allowed only under a PC authorization in force."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg.access_log import RecordsPatientReads
from mhg.bounded import Instant
from mhg.creation import Create, recorded
from mhg.declared import created, shown
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.steps import changing
from services.mso_ops.api.appointments.disclosure import disclosed
from services.mso_ops.api.appointments.scope import (
    BookingChange,
    check_booking_scope,
    check_site_scope,
    vendor_bookings,
)
from services.mso_ops.api.dependencies import AppointmentReader, Appointments, Booker
from services.mso_ops.api.schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentRow,
    CancelIn,
    ServiceLineCode,
)
from services.mso_ops.projections import appointments as appointment_rows

router = APIRouter(tags=["appointments"])

APPOINTMENTS = Listing(appointment_rows.APPOINTMENTS, AppointmentRow)


@created(
    router,
    "/appointments",
    "bookAppointment",
    AppointmentOut,
    (401, 403, 404, 409, 422),
    description=(
        "Refused with 409 `site-not-live` unless the site is live (the PC approved its "
        "go-live and the MSO opened it; `site-not-operating` while suspended, `site-closed` "
        "once closed), and with 409 `service-line-not-authorized` unless a PC authorization "
        "for the service line at the site is in force and effective on the appointment's "
        "date. The booking records the authorization and decision it was made under."
    ),
)
def book_appointment(
    body: AppointmentIn, create: Create, appointments: Appointments, caller: Booker
) -> JSONResponse:
    """Book an appointment for a service line at a site"""
    check_site_scope(caller, body.site_id)
    return create(
        caller,
        body,
        make=lambda appointment_id, meta: appointments.book_appointment(
            appointment_id=appointment_id,
            site_id=body.site_id,
            code=body.service_line,
            start=body.start,
            minutes=body.minutes,
            patient=body.patient.model_dump(mode="json"),
            requested_by=body.requested_by,
            account_id=body.account_id,
            meta=meta,
        ),
        find=recorded(appointments.appointment_exists, appointments.appointment),
        answer=AppointmentOut.of,
        location="/appointments/{id}",
    )


@paged(router, "/appointments", "listAppointments", AppointmentReader)
def list_appointments(
    pages: Pages,
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
    """Appointments in booking order (no patient data; read one to see it)"""
    return pages(
        APPOINTMENTS,
        **vendor_bookings(pages.caller),
        site_id=site_id,
        service_line=service_line,
        status=status or None,
        start_from=start_from,
        start_before=start_before,
    )


@shown(router, "/appointments/{appointment_id}", "getAppointment", AppointmentReader)
def get_appointment(
    appointment_id: UUID,
    appointments: Appointments,
    caller: AppointmentReader,
    record_read: RecordsPatientReads,
) -> AppointmentOut:
    """One appointment, with the minimum patient data"""
    appointment = appointments.appointment(appointment_id)
    check_booking_scope(caller, appointment)
    return disclosed(appointment, caller, record_read)


@changing(router, "/appointments/{appointment_id}/cancel", "cancelAppointment")
def cancel_appointment(
    appointment_id: UUID,
    body: CancelIn,
    appointments: Appointments,
    caller: Booker,
    booking: BookingChange,
    record_read: RecordsPatientReads,
) -> AppointmentOut:
    """Cancel a booked appointment, with a reason"""
    appointment = booking(caller, appointments.cancel_appointment, appointment_id, body=body)
    return disclosed(appointment, caller, record_read)
