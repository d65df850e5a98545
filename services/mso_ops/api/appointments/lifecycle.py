"""An appointment's steps after booking: check-in, outcome, rescheduling, correction.

booked -> arrived -> fulfilled; booked -> no_show once it came due; booked -> another
slot (rescheduled); any -> entered_in_error. Cancelling is in appointments.py. A step
that gives the slot place back (cancelled, entered in error, moved) frees it at once.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.access_log import RecordsPatientReads
from mhg.steps import Steps, changing
from services.mso_ops.api.appointments.disclosure import disclosed
from services.mso_ops.api.appointments.schemas import EnteredInErrorIn, OutcomeIn, RescheduleIn
from services.mso_ops.api.appointments.scope import BookingChange
from services.mso_ops.api.dependencies import Appointments, Booker, Coverage, Scheduler
from services.mso_ops.api.schemas import AppointmentOut

router = APIRouter(tags=["appointments"])


APPOINTMENT = Steps(
    router, "/appointments/{appointment_id}", Appointments, disclosed, shows_patient=True
)
APPOINTMENT.step(
    "check-in",
    "checkInAppointment",
    "The patient arrived: a booked appointment becomes arrived",
    None,
    Scheduler,
    lambda appointments: appointments.check_in_appointment,
)
APPOINTMENT.step(
    "outcome",
    "recordAppointmentOutcome",
    "Record what became of a visit that came due: fulfilled, or a no-show",
    OutcomeIn,
    Scheduler,
    lambda appointments: appointments.record_appointment_outcome,
    description=(
        "`fulfilled` from booked or arrived; `no_show` from booked only. Refused with 409 "
        "`appointment-not-due` before the appointment's start."
    ),
)
APPOINTMENT.step(
    "entered-in-error",
    "markAppointmentEnteredInError",
    "Correct a booking that should never have existed; its slot place is freed",
    EnteredInErrorIn,
    Scheduler,
    lambda appointments: appointments.mark_appointment_in_error,
)


@changing(
    router,
    "/appointments/{appointment_id}/reschedule",
    "rescheduleAppointment",
    description=(
        "Takes a place in the new slot (with your hold on it, or a free place) and frees the "
        "old one, together. The booking then runs under the PC authorization in force on the "
        "new day (409 `service-line-not-authorized` if none), at a live site (409 "
        "`site-not-operating` while it is suspended, `site-closed` once closed)."
    ),
)
def reschedule(
    appointment_id: UUID,
    body: RescheduleIn,
    appointments: Appointments,
    caller: Booker,
    booking: BookingChange,
    record_read: RecordsPatientReads,
    coverage: Coverage,
) -> AppointmentOut:
    """Move a booked appointment to another slot of its service line at its site"""
    appointment = booking(
        caller,
        appointments.reschedule_appointment,
        appointment_id,
        body=body,
        holder=caller.scope,
        coverage=coverage,
    )
    return disclosed(appointment, caller, record_read)
