"""Appointments: booked only under a PC authorization in force for the service line.

A booking at a slot, and every later step that gives the place back or moves it,
saves the appointment and its slot(s) together; a concurrent save of the same slot
makes the command decide again on the slot as it now is (see slots.retried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.application.slots import SlotCommands, retried
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound
from services.mso_ops.domain.scheduling_errors import InvalidReschedule
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.slot import Slot


@dataclass(eq=False)
class AppointmentCommands:
    store: ServiceApplication
    sites: SiteCommands
    slots: SlotCommands

    def book_appointment(
        self,
        *,
        appointment_id: UUID,
        site_id: UUID,
        code: str,
        start: datetime,
        minutes: int,
        patient: dict[str, str],
        requested_by: str | None,
        meta: Meta,
    ) -> Appointment:
        line = self.sites.service_line(site_id, code)
        self.sites.site(site_id).check_open_for_bookings()  # a suspended or closed site books none
        authorization = line.authorization_for(start.date())
        appointment = Appointment.book(
            appointment_id=appointment_id,
            site_id=site_id,
            service_line=code,
            service_line_id=line.id,
            authorization=authorization,
            start=start,
            minutes=minutes,
            patient=patient,
            requested_by=requested_by,
            meta=meta,
        )
        self.store.record(appointment)
        return appointment

    def book_slot(
        self,
        *,
        appointment_id: UUID,
        slot_id: UUID,
        hold_id: UUID | None,
        holder: str,
        patient: dict[str, str],
        requested_by: str | None,
        meta: Meta,
        read: Slot | None = None,
    ) -> Appointment:
        """Book a place in a slot: the caller's running hold, or a free place (`read`: the
        slot as the caller read it, decided on first)."""

        def attempt(slot: Slot) -> Appointment:
            authorization = self.slots.authorization_at(slot)
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
                patient=patient,
                requested_by=requested_by,
                meta=meta,
                slot_id=slot.id,
            )
            self.store.record(slot, appointment)
            return appointment

        return self.slots.deciding(slot_id, read, attempt)

    def appointment(self, appointment_id: UUID) -> Appointment:
        return self.store.load_as(
            Appointment, appointment_id, AppointmentNotFound, f"no appointment {appointment_id}"
        )

    def appointment_exists(self, appointment_id: UUID) -> bool:
        return appointment_id in self.store.repository

    def cancel_appointment(
        self, *, appointment_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> Appointment:
        return self._step(
            appointment_id,
            expected_version,
            lambda appointment: appointment.cancel(reason, meta),
            meta,
        )

    def check_in_appointment(
        self, *, appointment_id: UUID, expected_version: int | None, meta: Meta
    ) -> Appointment:
        return self._step(
            appointment_id,
            expected_version,
            lambda appointment: appointment.check_in(clock.now(), meta),
            meta,
        )

    def record_appointment_outcome(
        self, *, appointment_id: UUID, outcome: str, expected_version: int | None, meta: Meta
    ) -> Appointment:
        return self._step(
            appointment_id,
            expected_version,
            lambda appointment: appointment.record_outcome(outcome, clock.now(), meta),
            meta,
        )

    def mark_appointment_in_error(
        self, *, appointment_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> Appointment:
        return self._step(
            appointment_id,
            expected_version,
            lambda appointment: appointment.mark_entered_in_error(reason, meta),
            meta,
        )

    def _step(
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
                authorization=self.slots.authorization_at(target),
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
