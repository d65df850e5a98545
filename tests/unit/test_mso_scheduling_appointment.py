"""An appointment's lifecycle: check-in, outcome, rescheduling, cancellation, correction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.appointment import (
    ARRIVED,
    BOOKED,
    CANCELLED,
    ENTERED_IN_ERROR,
    FULFILLED,
    NO_SHOW,
    STATUSES,
    Appointment,
)
from services.mso_ops.domain.errors import AppointmentNotActive, AppointmentNotDue
from services.mso_ops.domain.scheduling_errors import InvalidAppointmentTransition
from services.mso_ops.domain.service_line import AuthorizationInForce

START = datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
AUTHORIZATION = AuthorizationInForce(uuid.uuid4(), uuid.uuid4())
LATER = AuthorizationInForce(uuid.uuid4(), uuid.uuid4())
PATIENT = {"name": "Sam Doe", "date_of_birth": "2010-04-04", "contact": "555-0100"}


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def booked(slot_id: uuid.UUID | None = None) -> Appointment:
    return Appointment.book(
        appointment_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        service_line="sports_clearance",
        service_line_id=uuid.uuid4(),
        authorization=AUTHORIZATION,
        start=START,
        minutes=20,
        patient=PATIENT,
        requested_by="Lincoln High",
        meta=meta(),
        slot_id=slot_id or uuid.uuid4(),
    )


def test_a_booking_at_a_slot_holds_its_place_until_it_gives_it_back() -> None:
    appointment = booked()
    assert appointment.occupies_slot
    appointment.check_in(START, meta())
    assert (appointment.status, appointment.occupies_slot) == (ARRIVED, True)
    appointment.mark_entered_in_error("wrong patient", meta())
    assert (appointment.status, appointment.occupies_slot) == (ENTERED_IN_ERROR, False)
    assert appointment.error_reason == "wrong patient"
    events = [type(e).__name__ for e in appointment.collect_events()]
    assert events == ["Booked", "Arrived", "EnteredInError"]


def test_a_booking_made_before_slots_existed_replays_without_one() -> None:
    appointment = booked()
    [created] = appointment.collect_events()
    old = dict(vars(created))
    del old["slot_id"]  # what the log holds for bookings made before this change
    stored = object.__new__(type(created))
    object.__setattr__(stored, "__dict__", old)
    replayed = stored.mutate(None)
    assert isinstance(replayed, Appointment)
    assert replayed.slot_id is None
    assert not replayed.occupies_slot


def test_fulfilled_from_booked_or_arrived_and_no_show_only_from_booked() -> None:
    walk_in = booked()
    walk_in.record_outcome(FULFILLED, START, meta())
    assert walk_in.status == FULFILLED
    arrived = booked()
    arrived.check_in(START, meta())
    with pytest.raises(AppointmentNotActive):
        arrived.record_outcome(NO_SHOW, START + timedelta(hours=1), meta())
    arrived.record_outcome(FULFILLED, START + timedelta(minutes=30), meta())
    early = booked()
    with pytest.raises(AppointmentNotDue):
        early.record_outcome(NO_SHOW, START - timedelta(seconds=1), meta())


def test_rescheduling_moves_the_slot_time_and_authorization() -> None:
    appointment = booked()
    origin = appointment.slot_id
    target = uuid.uuid4()
    new_start = START + timedelta(days=2)
    appointment.reschedule(
        slot_id=target,
        start=new_start,
        minutes=30,
        authorization=LATER,
        reason="asked",
        meta=meta(),
    )
    assert (appointment.slot_id, appointment.start, appointment.minutes) == (target, new_start, 30)
    assert appointment.authorization_id == LATER.authorization_id
    assert appointment.decision_id == LATER.decision_id
    moved = appointment.collect_events()[-1]
    assert (moved.from_slot_id, moved.slot_id, moved.reason) == (origin, target, "asked")  # type: ignore[attr-defined]
    with pytest.raises(InvalidAppointmentTransition):
        appointment.reschedule(
            slot_id=target,
            start=new_start,
            minutes=30,
            authorization=LATER,
            reason="x",
            meta=meta(),
        )


# -- the lifecycle, as random sequences of allowed and refused steps ---------------

# step -> (statuses it is allowed from, status it leads to); written from the domain text
LIFECYCLE: dict[str, tuple[set[str], str | None]] = {
    "cancel": ({BOOKED}, CANCELLED),
    "check in": ({BOOKED}, ARRIVED),
    "fulfilled": ({BOOKED, ARRIVED}, FULFILLED),
    "no show": ({BOOKED}, NO_SHOW),
    "reschedule": ({BOOKED}, None),
    "entered in error": (set(STATUSES) - {ENTERED_IN_ERROR}, ENTERED_IN_ERROR),
}
TAKES_A_PLACE = {BOOKED, ARRIVED, FULFILLED, NO_SHOW}


class AppointmentLifecycle(RuleBasedStateMachine):
    @initialize()
    def book(self) -> None:
        self.agg = booked()
        self.events: list[Any] = list(self.agg.collect_events())
        self.status = BOOKED
        self.now = START

    @rule(step=st.sampled_from(sorted(LIFECYCLE)), minutes=st.integers(-90, 90))
    def take_step(self, step: str, minutes: int) -> None:
        self.now = START + timedelta(minutes=minutes)
        allowed, leads_to = LIFECYCLE[step]
        acts = {
            "cancel": lambda: self.agg.cancel("asked", meta()),
            "check in": lambda: self.agg.check_in(self.now, meta()),
            "fulfilled": lambda: self.agg.record_outcome(FULFILLED, self.now, meta()),
            "no show": lambda: self.agg.record_outcome(NO_SHOW, self.now, meta()),
            "reschedule": lambda: self.agg.reschedule(
                slot_id=uuid.uuid4(),
                start=START,
                minutes=20,
                authorization=AUTHORIZATION,
                reason="moved",
                meta=meta(),
            ),
            "entered in error": lambda: self.agg.mark_entered_in_error("duplicate", meta()),
        }
        expected_ok = self.status in allowed
        if expected_ok and step in ("fulfilled", "no show") and self.now < START:
            expected_ok = False
        version = self.agg.version
        refused: DomainError | None = None
        try:
            acts[step]()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert not expected_ok, f"{step} refused from {self.status}: {refused!r}"
            assert self.agg.version == version
            assert self.agg.status == self.status
            return
        assert expected_ok, f"{step} accepted from {self.status}"
        assert self.agg.version == version + 1
        self.events.extend(self.agg.collect_events())
        self.status = leads_to or self.status

    @invariant()
    def the_status_and_the_place_follow_the_model(self) -> None:
        assert self.agg.status == self.status
        assert self.agg.occupies_slot == (self.status in TAKES_A_PLACE)

    @invariant()
    def replay_reproduces_the_aggregate(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert vars(rebuilt) == vars(self.agg)


AppointmentLifecycle.TestCase.settings = settings(
    max_examples=100, stateful_step_count=20, deadline=None
)
TestAppointmentLifecycle = AppointmentLifecycle.TestCase
