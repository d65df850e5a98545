"""Appointments: booked only under a PC authorization in force for the service line."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound


class AppointmentCommands(SiteCommands):
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
        line = self.service_line(site_id, code)
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
        self.record(appointment)
        return appointment

    def appointment(self, appointment_id: UUID) -> Appointment:
        appointment: Appointment = self.load(
            appointment_id, AppointmentNotFound, f"no appointment {appointment_id}"
        )
        return appointment

    def appointment_exists(self, appointment_id: UUID) -> bool:
        return appointment_id in self.repository

    def cancel_appointment(
        self, *, appointment_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> Appointment:
        appointment = self.appointment(appointment_id)
        self.check_version(appointment, expected_version)
        appointment.cancel(reason, meta)
        self.record(appointment)
        return appointment
