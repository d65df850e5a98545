"""Appointment: booked under the authorization in force, cancelled once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.mso_ops.domain.appointment import BOOKED, CANCELLED, Appointment
from services.mso_ops.domain.errors import AppointmentNotActive, InvalidAppointmentTime
from services.mso_ops.domain.service_line import AuthorizationInForce

AUTHORIZATION = AuthorizationInForce(
    authorization_id=uuid.UUID("00000000-0000-0000-0000-0000000000a1"),
    decision_id=uuid.UUID("00000000-0000-0000-0000-0000000000d1"),
)
START = datetime(2025, 5, 2, 14, 30, tzinfo=UTC)
PATIENT = {"name": "Sam Doe", "date_of_birth": "2010-04-04", "contact": "555-0100"}


def pending(aggregate: Aggregate) -> list[Any]:
    """The aggregate's new events (typed loosely: each event class has its own fields)."""
    return list(aggregate.collect_events())


def meta(actor: str = "scheduler-1") -> Meta:
    return Meta(actor, "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def book(
    *,
    start: datetime = START,
    minutes: int = 30,
    appointment_id: uuid.UUID | None = None,
    m: Meta | None = None,
) -> Appointment:
    return Appointment.book(
        appointment_id=appointment_id or uuid.uuid4(),
        site_id=uuid.uuid4(),
        service_line="sports_clearance",
        service_line_id=uuid.uuid4(),
        authorization=AUTHORIZATION,
        start=start,
        minutes=minutes,
        patient=PATIENT,
        requested_by="Lincoln High",
        meta=m or meta(),
    )


def test_booking_records_the_authorization_and_decision_in_force() -> None:
    appointment_id = uuid.uuid4()
    booker = meta("scheduler-9")
    appointment = book(appointment_id=appointment_id, m=booker)
    assert appointment.id == appointment_id
    assert appointment.status == BOOKED
    assert appointment.authorization_id == AUTHORIZATION.authorization_id
    assert appointment.decision_id == AUTHORIZATION.decision_id
    assert appointment.start == START
    assert appointment.minutes == 30
    assert appointment.day == date(2025, 5, 2)
    assert appointment.patient == PATIENT
    assert appointment.requested_by == "Lincoln High"
    (booked,) = pending(appointment)
    assert type(booked).__name__ == "Booked"
    assert booked.authorization_id == AUTHORIZATION.authorization_id
    assert booked.decision_id == AUTHORIZATION.decision_id
    assert booked.meta == booker


def test_the_patient_record_is_a_copy() -> None:
    patient = dict(PATIENT)
    appointment = Appointment.book(
        appointment_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        service_line="sports_clearance",
        service_line_id=uuid.uuid4(),
        authorization=AUTHORIZATION,
        start=START,
        minutes=30,
        patient=patient,
        requested_by=None,
        meta=meta(),
    )
    patient["name"] = "someone else"
    assert appointment.patient["name"] == "Sam Doe"


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(InvalidAppointmentTime) as caught:
        book(start=START.replace(tzinfo=None))
    assert isinstance(caught.value, RuleViolation)
    assert caught.value.code == "invalid-appointment-time"


def test_a_start_with_any_offset_is_accepted() -> None:
    start = datetime(2025, 5, 2, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert book(start=start).start == start


@pytest.mark.parametrize("minutes", [-30, 0, 4, 481, 10_000])
def test_minutes_outside_5_to_480_are_refused(minutes: int) -> None:
    with pytest.raises(InvalidAppointmentTime) as caught:
        book(minutes=minutes)
    assert caught.value.code == "invalid-appointment-time"


@pytest.mark.parametrize("minutes", [5, 6, 240, 479, 480])
def test_minutes_within_5_to_480_are_accepted(minutes: int) -> None:
    assert book(minutes=minutes).minutes == minutes


def test_cancel_once_then_refused() -> None:
    appointment = book()
    pending(appointment)
    canceller = meta("scheduler-2")
    appointment.cancel("patient asked", canceller)
    assert appointment.status == CANCELLED
    assert appointment.cancellation_reason == "patient asked"
    assert appointment.version == 2
    (cancelled,) = pending(appointment)
    assert type(cancelled).__name__ == "Cancelled"
    assert cancelled.meta == canceller

    with pytest.raises(AppointmentNotActive) as caught:
        appointment.cancel("again", meta())
    assert isinstance(caught.value, Conflict)
    assert caught.value.code == "appointment-not-active"
    assert appointment.cancellation_reason == "patient asked"
    assert appointment.version == 2
    assert pending(appointment) == []


def test_replaying_the_events_reproduces_the_appointment() -> None:
    appointment = book()
    appointment.cancel("weather", meta())
    rebuilt: Any = None
    for e in pending(appointment):
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, Appointment)
    assert vars(rebuilt) == vars(appointment)
