"""Appointments: booked only under a PC authorization in force for the service line.

A booking at a slot, and every later step that gives the place back or moves it,
saves the appointment and its slot(s) together; a concurrent save of the same slot
makes the command decide again on the slot as it now is (see slots.retried).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded, unstamped
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.accounts import demand_link
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.application.slots import ShiftCoverage, SlotCommands, retried
from services.mso_ops.domain.account import APPOINTMENT, DemandLink
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound
from services.mso_ops.domain.scheduling_errors import InvalidReschedule
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.slot import Slot


def _lifecycle_step(
    act: Callable[..., None], stamp: Callable[[], Mapping[str, object]] = unstamped
) -> Callable[..., Appointment]:
    """A lifecycle command: `act` with the command's fields and what `stamp` gives, as
    `AppointmentCommands.step_freeing_slot` takes it (the slot's place given back with it)."""

    def command(
        commands: AppointmentCommands,
        *,
        appointment_id: UUID,
        expected_version: int | None,
        meta: Meta,
        **fields: Any,
    ) -> Appointment:
        stamped = stamp()
        return commands.step_freeing_slot(
            appointment_id,
            expected_version,
            lambda appointment: act(appointment, **fields, **stamped, meta=meta),
            meta,
        )

    return command


@dataclass(eq=False)
class AppointmentCommands:
    store: ServiceApplication
    sites: SiteCommands
    slots: SlotCommands

    def book_appointment(
        self,
        *,
        site_id: UUID,
        code: str,
        start: datetime,
        meta: Meta,
        account_id: UUID | None = None,
        **booking: Any,
    ) -> Appointment:
        """A booking at a time of the line's own choosing (`booking`: the appointment's id,
        length, patient and requester, as `Appointment.book` names them), linked to the
        account it comes from if it names one."""
        line = self.sites.service_line(site_id, code)
        site = self.sites.site(site_id)
        site.check_open_for_bookings()  # a suspended or closed site books none
        appointment = Appointment.book(
            site_id=site_id,
            service_line=code,
            service_line_id=line.id,
            authorization=line.authorization_for(clock.day_at(start, site.time_zone)),
            start=start,
            meta=meta,
            **booking,
        )
        self.store.record(appointment, self._link(account_id, appointment, meta))
        return appointment

    def _link(
        self, account_id: UUID | None, appointment: Appointment, meta: Meta
    ) -> DemandLink | None:
        """The link to the account the booking names, on the visit's day at its site."""
        if account_id is None:
            return None
        zone = self.sites.site(appointment.site_id).time_zone
        return demand_link(
            self.store,
            account_id,
            demand=APPOINTMENT,
            demand_id=appointment.id,
            site_id=appointment.site_id,
            on=clock.day_at(appointment.start, zone),
            meta=meta,
        )

    def book_slot(
        self,
        *,
        appointment_id: UUID,
        slot_id: UUID,
        hold_id: UUID | None,
        holder: str,
        coverage: ShiftCoverage,
        meta: Meta,
        read: Slot | None = None,
        account_id: UUID | None = None,
        **booking: Any,
    ) -> Appointment:
        """Book a place in a slot: the caller's running hold, or a free place (`read`: the
        slot as the caller read it, decided on first; `booking`: the patient and requester)."""

        def attempt(slot: Slot) -> Appointment:
            authorization = self.slots.authorization_at(slot, coverage)
            slot.take(
                appointment_id=appointment_id,
                hold_id=hold_id,
                holder=holder,
                at=clock.now(),
                meta=meta,
            )
            appointment = Appointment.book(
                appointment_id=appointment_id,
                site_id=slot.site_id,
                service_line=slot.service_line,
                service_line_id=ServiceLine.create_id(slot.site_id, slot.service_line),
                authorization=authorization,
                start=slot.start,
                minutes=slot.minutes,
                meta=meta,
                slot_id=slot.id,
                **booking,
            )
            self.store.record(slot, appointment, self._link(account_id, appointment, meta))
            return appointment

        return self.slots.deciding(slot_id, read, attempt)

    def appointment(self, appointment_id: UUID) -> Appointment:
        return self.store.load_as(
            Appointment, appointment_id, AppointmentNotFound, f"no appointment {appointment_id}"
        )

    appointment_exists = is_recorded

    cancel_appointment = _lifecycle_step(Appointment.cancel)
    check_in_appointment = _lifecycle_step(Appointment.check_in, clock.timed)
    record_appointment_outcome = _lifecycle_step(Appointment.record_outcome, clock.timed)
    mark_appointment_in_error = _lifecycle_step(Appointment.mark_entered_in_error)

    def step_freeing_slot(
        self,
        appointment_id: UUID,
        expected_version: int | None,
        act: Callable[[Appointment], None],
        meta: Meta,
    ) -> Appointment:
        """One lifecycle step; if it gives the slot place back, the slot is saved with it."""

        def attempt() -> Appointment:
            appointment = self.appointment(appointment_id)
            self.store.check_version(appointment, expected_version)
            occupied = appointment.occupies_slot
            act(appointment)
            slot = None
            if occupied and not appointment.occupies_slot and appointment.slot_id is not None:
                slot = self.slots.slot(appointment.slot_id)
                slot.release(appointment_id=appointment_id, reason=appointment.status, meta=meta)
            self.store.record(appointment, slot)
            return appointment

        return retried(attempt)

    def reschedule_appointment(
        self,
        *,
        appointment_id: UUID,
        slot_id: UUID,
        hold_id: UUID | None,
        holder: str,
        reason: str,
        coverage: ShiftCoverage,
        expected_version: int | None,
        meta: Meta,
    ) -> Appointment:
        """Move a booked appointment to a slot of the same service line at the same site."""

        def attempt() -> Appointment:
            appointment = self.appointment(appointment_id)
            self.store.check_version(appointment, expected_version)
            target = self.slots.slot(slot_id)
            if (target.site_id, target.service_line) != (
                appointment.site_id,
                appointment.service_line,
            ):
                raise InvalidReschedule(
                    "a booking moves only to a slot of its own service line at its own site"
                )
            source: Slot | None = None
            if appointment.occupies_slot and appointment.slot_id is not None:
                source = self.slots.slot(appointment.slot_id)
            appointment.reschedule(
                slot_id=target.id,
                start=target.start,
                minutes=target.minutes,
                authorization=self.slots.authorization_at(target, coverage),
                reason=reason,
                meta=meta,
            )
            now = clock.now()
            target.take(
                appointment_id=appointment_id, hold_id=hold_id, holder=holder, at=now, meta=meta
            )
            if source is not None:
                source.release(appointment_id=appointment_id, reason="rescheduled", meta=meta)
            self.store.record(appointment, source, target)
            return appointment

        return retried(attempt)
