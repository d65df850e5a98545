"""An appointment booked for a service line at a site, under the PC authorization in force.

Patient data is the minimum the operation needs: name, date of birth, a contact, and
the organisation that asked for the form (school, team, employer). No clinical content.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.errors import AppointmentNotActive, InvalidAppointmentTime
from services.mso_ops.domain.service_line import AuthorizationInForce

BOOKED = "booked"
CANCELLED = "cancelled"


class Appointment(Aggregate):
    @event("Booked")
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        service_line_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        start: datetime,
        minutes: int,
        patient: dict[str, str],
        requested_by: str | None,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.service_line_id = service_line_id
        self.authorization_id = authorization_id
        self.decision_id = decision_id
        self.start = start
        self.minutes = minutes
        self.patient = dict(patient)
        self.requested_by = requested_by
        self.status = BOOKED
        self.cancellation_reason: str | None = None

    @classmethod
    def book(
        cls,
        *,
        appointment_id: UUID,
        site_id: UUID,
        service_line: str,
        service_line_id: UUID,
        authorization: AuthorizationInForce,
        start: datetime,
        minutes: int,
        patient: dict[str, str],
        requested_by: str | None,
        meta: Meta,
    ) -> Appointment:
        if start.tzinfo is None:
            raise InvalidAppointmentTime("the start time must carry a UTC offset")
        if not 5 <= minutes <= 480:
            raise InvalidAppointmentTime("an appointment lasts 5 to 480 minutes")
        return cls(
            id=appointment_id,
            site_id=site_id,
            service_line=service_line,
            service_line_id=service_line_id,
            authorization_id=authorization.authorization_id,
            decision_id=authorization.decision_id,
            start=start,
            minutes=minutes,
            patient=patient,
            requested_by=requested_by,
            meta=meta,
        )

    @property
    def day(self) -> date:
        return self.start.date()

    def cancel(self, reason: str, meta: Meta) -> None:
        if self.status != BOOKED:
            raise AppointmentNotActive(f"the appointment is {self.status}")
        self._cancelled(reason=reason, meta=meta)

    @event("Cancelled")
    def _cancelled(self, reason: str, meta: Meta) -> None:
        self.status = CANCELLED
        self.cancellation_reason = reason
