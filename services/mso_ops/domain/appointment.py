"""An appointment booked for a service line at a site, under the PC authorization in force.

Lifecycle: booked -> arrived (checked in) -> fulfilled; booked -> cancelled (with a
reason), no_show (once it came due), or moved to another slot (rescheduled: still
booked, under the authorization in force on the new day); any status but itself ->
entered_in_error (a correction: the booking should never have existed). A booking at a
slot holds one of its places while booked, arrived, fulfilled or a no-show.

Patient data is the minimum the operation needs: name, date of birth, a contact, and
the organisation that asked for the form (school, team, employer). No clinical content.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from mhg.patient_fields import PatientFields
from services.mso_ops.domain import cancellation
from services.mso_ops.domain.cancellation import Cancellation, record_cancellation
from services.mso_ops.domain.errors import (
    AppointmentNotActive,
    AppointmentNotDue,
    InvalidAppointmentOutcome,
    InvalidAppointmentTime,
)
from services.mso_ops.domain.scheduling_errors import InvalidAppointmentTransition
from services.mso_ops.domain.service_line import AuthorizationInForce

BOOKED = "booked"
FULFILLED = "fulfilled"
CANCELLED = cancellation.CANCELLED
NO_SHOW = "no_show"
ARRIVED = "arrived"
ENTERED_IN_ERROR = "entered_in_error"
STATUSES = (BOOKED, ARRIVED, FULFILLED, CANCELLED, NO_SHOW, ENTERED_IN_ERROR)
OCCUPYING = frozenset({BOOKED, ARRIVED, FULFILLED, NO_SHOW})  # they keep their slot place


class Appointment(Aggregate):
    class Booked(Aggregate.Created):
        """v2: the patient is sealed under their own key (ADR 0031); v1 held it in plain text."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["patient"] = PatientFields(state["patient"])

        site_id: UUID
        service_line: str
        service_line_id: UUID
        authorization_id: UUID
        decision_id: UUID
        start: datetime
        minutes: int
        patient: PatientFields
        requested_by: str | None
        meta: Meta
        slot_id: UUID | None = None

    @event(Booked)
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
        patient: PatientFields,
        requested_by: str | None,
        meta: Meta,
        slot_id: UUID | None = None,  # absent from bookings made before slots existed
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.service_line_id = service_line_id
        self.authorization_id = authorization_id
        self.decision_id = decision_id
        self.start = start
        self.minutes = minutes
        self.patient = dict(patient)  # in memory only; "erased" once the key is gone
        self.patient_erased = patient.erased
        self.requested_by = requested_by
        # who made the booking: a vendor integration reaches only its own bookings
        self.booked_by = f"{meta.actor_org}:{meta.actor_id}"
        self.status = BOOKED
        self.cancellation_reason: str | None = None
        self.slot_id = slot_id
        self.error_reason: str | None = None

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
        slot_id: UUID | None = None,
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
            patient=PatientFields(patient),
            requested_by=requested_by,
            meta=meta,
            slot_id=slot_id,
        )

    @property
    def day(self) -> date:
        return self.start.date()

    def cancel(self, reason: str, meta: Meta) -> None:
        if self.status != BOOKED:
            raise AppointmentNotActive(f"the appointment is {self.status}")
        self._cancelled(reason=reason, meta=meta)

    class Cancelled(Cancellation):
        pass

    _cancelled = event(Cancelled)(record_cancellation)

    def record_outcome(self, outcome: str, at: datetime, meta: Meta) -> None:
        """What became of a booked visit once it came due: fulfilled, or a no-show."""
        recorders = {FULFILLED: self._fulfilled, NO_SHOW: self._no_show}
        if outcome not in recorders:
            raise InvalidAppointmentOutcome("an outcome is fulfilled or no_show", field="outcome")
        if self.status not in ((BOOKED, ARRIVED) if outcome == FULFILLED else (BOOKED,)):
            raise AppointmentNotActive(f"the appointment is {self.status}")
        if at < self.start:
            raise AppointmentNotDue(f"the appointment starts at {self.start.isoformat()}")
        recorders[outcome](at=at, meta=meta)

    class Fulfilled(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(Fulfilled)
    def _fulfilled(self, at: datetime, meta: Meta) -> None:
        self.status = FULFILLED

    class NoShow(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(NoShow)
    def _no_show(self, at: datetime, meta: Meta) -> None:
        self.status = NO_SHOW

    @property
    def occupies_slot(self) -> bool:
        return self.slot_id is not None and self.status in OCCUPYING

    def _check_status(self, step: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise InvalidAppointmentTransition(
                f"cannot {step} an appointment that is {self.status}", current_status=self.status
            )

    def check_in(self, at: datetime, meta: Meta) -> None:
        self._check_status("check in", BOOKED)
        self._arrived(at=at, meta=meta)

    class Arrived(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(Arrived)
    def _arrived(self, at: datetime, meta: Meta) -> None:
        self.status = ARRIVED

    def reschedule(
        self,
        *,
        slot_id: UUID,
        start: datetime,
        minutes: int,
        authorization: AuthorizationInForce,
        reason: str,
        meta: Meta,
    ) -> None:
        """Move the booking to another slot, under the authorization in force on its day."""
        self._check_status("reschedule", BOOKED)
        if slot_id == self.slot_id:
            raise InvalidAppointmentTransition("the appointment is in that slot already")
        self._rescheduled(
            from_slot_id=self.slot_id,
            slot_id=slot_id,
            start=start,
            minutes=minutes,
            authorization_id=authorization.authorization_id,
            decision_id=authorization.decision_id,
            reason=reason,
            meta=meta,
        )

    class Rescheduled(Aggregate.Event):
        from_slot_id: UUID | None
        slot_id: UUID
        start: datetime
        minutes: int
        authorization_id: UUID
        decision_id: UUID
        reason: str
        meta: Meta

    @event(Rescheduled)
    def _rescheduled(
        self,
        from_slot_id: UUID | None,
        slot_id: UUID,
        start: datetime,
        minutes: int,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
    ) -> None:
        self.slot_id = slot_id
        self.start = start
        self.minutes = minutes
        self.authorization_id = authorization_id
        self.decision_id = decision_id

    def mark_entered_in_error(self, reason: str, meta: Meta) -> None:
        self._check_status("mark in error", *(s for s in STATUSES if s != ENTERED_IN_ERROR))
        self._entered_in_error(previous_status=self.status, reason=reason, meta=meta)

    class EnteredInError(Aggregate.Event):
        previous_status: str
        reason: str
        meta: Meta

    @event(EnteredInError)
    def _entered_in_error(self, previous_status: str, reason: str, meta: Meta) -> None:
        self.status = ENTERED_IN_ERROR
        self.error_reason = reason
