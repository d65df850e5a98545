"""MSO Operations: commands load an aggregate, let it decide, and save its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import (
    AppointmentNotFound,
    ServiceLineAlreadyProposed,
    ServiceLineNotFound,
    SiteNotFound,
)
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site


class MsoOpsApplication(ServiceApplication):
    name = "mso_ops"

    # sites
    def propose_site(
        self, *, site_id: UUID, name: str, kind: str, address: str, meta: Meta
    ) -> Site:
        site = Site(id=site_id, name=name, kind=kind, address=address, meta=meta)
        self.record(site)
        return site

    def site(self, site_id: UUID) -> Site:
        site: Site = self.load(site_id, SiteNotFound, f"no site {site_id}")
        return site

    def site_exists(self, site_id: UUID) -> bool:
        return site_id in self.repository

    # service lines
    def propose_service_line(self, *, site_id: UUID, code: str, meta: Meta) -> ServiceLine:
        site = self.site(site_id)
        if ServiceLine.create_id(site_id, code) in self.repository:
            raise ServiceLineAlreadyProposed(f"{code} is already proposed at {site.name}")
        line = ServiceLine(site_id=site_id, site_name=site.name, code=code, meta=meta)
        self.record(line)
        return line

    def service_line(self, site_id: UUID, code: str) -> ServiceLine:
        try:
            line: ServiceLine = self.repository.get(ServiceLine.create_id(site_id, code))
        except AggregateNotFoundError:
            self.site(site_id)
            raise ServiceLineNotFound(f"{code} is not proposed at site {site_id}") from None
        return line

    def request_authorization(
        self,
        *,
        site_id: UUID,
        code: str,
        readiness: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
    ) -> ServiceLine:
        line = self.service_line(site_id, code)
        self.check_version(line, expected_version)
        line.request_authorization(readiness, meta)
        self.record(line)
        return line

    # appointments
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

    # PC decisions, applied as they arrive through the PC's feed
    def record_pc_approval(
        self,
        *,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        effective_date: Any,
        conditions: list[str],
        protocol_refs: list[str],
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        line = self.service_line(site_id, code)
        line.record_approval(
            request_id=request_id,
            authorization_id=authorization_id,
            decision_id=decision_id,
            effective_date=effective_date,
            conditions=conditions,
            protocol_refs=protocol_refs,
            meta=meta,
        )
        self.record(line, tracking=tracking)
        return line

    def record_pc_reinstatement(
        self,
        *,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        line = self.service_line(site_id, code)
        line.record_reinstatement(
            request_id=request_id,
            authorization_id=authorization_id,
            decision_id=decision_id,
            reason=reason,
            meta=meta,
        )
        self.record(line, tracking=tracking)
        return line

    def record_pc_withdrawal(
        self,
        *,
        outcome: str,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        line = self.service_line(site_id, code)
        line.record_withdrawal(
            outcome=outcome,
            request_id=request_id,
            authorization_id=authorization_id,
            decision_id=decision_id,
            reason=reason,
            meta=meta,
        )
        self.record(line, tracking=tracking)
        return line
