"""A vendor integration sees and books only at the sites it is contracted for, and
reaches patient data only in the bookings it made itself (minimum necessary).

Its token's `sites` claim lists its sites; MSO roles are not scoped by site. A vendor
asking about any other site gets 403, whether it finds, holds, books or reads. Another
party's booking, even at one of its sites, is answered as if it did not exist (404): the
vendor learns neither the patient nor that the booking is there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends
from pydantic import BaseModel

from mhg import problems
from mhg.auth import Principal, Role
from mhg.changes import Change
from mhg.web import on_the_loop
from services.mso_ops.api.dependencies import Appointments
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound


def check_site_scope(caller: Principal, site_id: UUID) -> None:
    if caller.role == Role.VENDOR and str(site_id) not in caller.sites:
        raise problems.Problem(
            403,
            "site-not-in-scope",
            "Site outside your integration's scope",
            f"your token does not cover site {site_id}",
        )


def check_booking_scope(caller: Principal, appointment: Appointment) -> None:
    """A vendor reaches a booking only at its sites, and only one it made."""
    check_site_scope(caller, appointment.site_id)
    if caller.role == Role.VENDOR and appointment.booked_by != caller.scope:
        raise AppointmentNotFound(f"no appointment {appointment.id}")


class BookingStep:
    """A version-checked step of one booking, taken only by a caller who may reach it."""

    def __init__(self, change: Change, appointments: Appointments) -> None:
        self.change = change
        self.appointments = appointments

    def __call__(
        self,
        caller: Principal,
        command: Callable[..., Appointment],
        appointment_id: UUID,
        *,
        body: BaseModel,
        **given: object,
    ) -> Appointment:
        check_booking_scope(caller, self.appointments.appointment(appointment_id))
        return self.change(caller, command, body=body, appointment_id=appointment_id, **given)


BookingChange = Annotated[BookingStep, Depends(on_the_loop(BookingStep))]


def vendor_sites(caller: Principal) -> list[UUID]:
    """The sites a vendor's token covers (the claim's entries that are site ids)."""
    sites = []
    for value in caller.sites:
        try:
            sites.append(UUID(value))
        except ValueError:
            continue
    return sites


def vendor_scope(caller: Principal) -> list[UUID] | None:
    """The sites a list is kept to: a vendor's (None for MSO roles, not kept to any)."""
    return vendor_sites(caller) if caller.role == Role.VENDOR else None


def vendor_bookings(caller: Principal) -> dict[str, Any]:
    """The filters that keep a vendor's appointment list to the bookings it made at its
    sites (none for MSO roles), as `projections.appointments.APPOINTMENTS` declares them."""
    if caller.role != Role.VENDOR:
        return {}
    return {"within_sites": vendor_sites(caller), "booked_by": caller.scope}
