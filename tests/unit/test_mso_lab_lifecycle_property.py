"""State machines that make random moves, allowed or not, on a specimen and a courier run.

The model below is written from the lifecycle the domain describes, independently of
the aggregates: every move the model refuses must be refused with the model's error
and leave the aggregate untouched; every move it allows must add events.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.courier_run import CourierRun
from services.mso_ops.domain.lab_errors import (
    InvalidCourierRunTransition,
    InvalidManifest,
    InvalidSpecimenTransition,
)
from services.mso_ops.domain.specimen import Specimen
from services.mso_ops.domain.timeline import StepTimeInFuture, StepTimeOutOfOrder

T0 = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=30)
SITE = uuid.UUID(int=5)
RUNS = {"a": uuid.UUID(int=0xA), "b": uuid.UUID(int=0xB)}
CLINICIAN = uuid.UUID(int=0xC)
Refusal = type[DomainError] | None

# a step's time: some hours after (or before) the latest step so far, or in the future
WHEN = st.one_of(st.sampled_from([-2, 0, 1, 3]), st.just("future"))


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


class Harness:
    agg: Any
    events: list[Any]

    def view(self) -> Any:
        raise NotImplementedError

    def attempt(self, act: Callable[[], Any], refusal: Refusal) -> bool:
        version, before = self.agg.version, copy.deepcopy(self.view())
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"refused with {refused!r}; the model allows it"
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert self.view() == before
            assert list(self.agg.collect_events()) == []
            return False
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new = list(self.agg.collect_events())
        assert len(new) == 1
        assert self.agg.version == version + 1
        self.events.extend(new)
        return True


class SpecimenLifecycle(RuleBasedStateMachine, Harness):
    NEXT = {
        "depart": ("on_run", "in_transit"),
        "deliver": ("in_transit", "at_lab"),
        "receive": ("at_lab", "result_received"),
        "release": ("result_received", "result_released"),
    }

    @initialize(hours_ago=st.integers(0, 72))
    def log(self, hours_ago: int) -> None:
        collected = T0 - timedelta(hours=hours_ago)
        self.agg = Specimen.log_pickup(
            site_id=SITE,
            service_line="school_physical",
            reference="S-1",
            collected_at=collected,
            now=NOW,
            meta=meta(),
        )
        self.events = list(self.agg.collect_events())
        self.status = "awaiting_pickup"
        self.run: str | None = None
        self.times = [collected]

    def view(self) -> Any:
        a = self.agg
        return (a.status, a.run_id, a.departed_at, a.delivered_at, a.result_received_at)

    def _at(self, when: int | str) -> datetime:
        if when == "future":
            return NOW + timedelta(hours=1)
        assert isinstance(when, int)
        return self.times[-1] + timedelta(hours=when)

    def _timed_refusal(self, at: datetime) -> Refusal:
        if at > NOW:
            return StepTimeInFuture
        return StepTimeOutOfOrder if at < self.times[-1] else None

    @rule(run=st.sampled_from(sorted(RUNS)), same_site=st.booleans())
    def put_on_run(self, run: str, same_site: bool) -> None:
        refusal: Refusal = None
        if not same_site:
            refusal = InvalidManifest
        elif self.status != "awaiting_pickup":
            refusal = InvalidSpecimenTransition
        site = SITE if same_site else uuid.uuid4()
        if self.attempt(
            lambda: self.agg.put_on_run(run_id=RUNS[run], site_id=site, meta=meta()), refusal
        ):
            self.status, self.run = "on_run", run

    @rule(run=st.sampled_from(sorted(RUNS)))
    def take_off_run(self, run: str) -> None:
        refusal = None if (self.status, self.run) == ("on_run", run) else InvalidSpecimenTransition
        if self.attempt(lambda: self.agg.take_off_run(run_id=RUNS[run], meta=meta()), refusal):
            self.status, self.run = "awaiting_pickup", None

    @rule(step=st.sampled_from(sorted(NEXT)), run=st.sampled_from(sorted(RUNS)), when=WHEN)
    def step(self, step: str, run: str, when: int | str) -> None:
        before, after = self.NEXT[step]
        at = self._at(when)
        refusal: Refusal = None
        if self.status != before or (step in ("depart", "deliver") and run != self.run):
            refusal = InvalidSpecimenTransition
        else:
            refusal = self._timed_refusal(at)
        moves: dict[str, Callable[[], None]] = {
            "depart": lambda: self.agg.depart(run_id=RUNS[run], at=at, now=NOW, meta=meta()),
            "deliver": lambda: self.agg.deliver(
                run_id=RUNS[run], at=at, lab="Quest", now=NOW, meta=meta()
            ),
            "receive": lambda: self.agg.receive_result(at=at, now=NOW, meta=meta()),
            "release": lambda: self.agg.release_result(
                clinician_id=CLINICIAN, at=at, now=NOW, meta=meta()
            ),
        }
        if self.attempt(moves[step], refusal):
            self.status = after
            self.times.append(at)

    @invariant()
    def the_state_matches_the_model(self) -> None:
        assert self.agg.status == self.status
        assert self.agg.run_id == (RUNS[self.run] if self.run else None)
        assert (self.agg.released_to == CLINICIAN) == (self.status == "result_released")

    @invariant()
    def the_steps_happened_in_order(self) -> None:
        a = self.agg
        steps = [a.collected_at, a.departed_at, a.delivered_at]
        steps += [a.result_received_at, a.result_released_at]
        done = [t for t in steps if t is not None]
        assert done == self.times
        assert done == sorted(done)
        assert all(t <= NOW for t in done)


class CourierRunLifecycle(RuleBasedStateMachine, Harness):
    @initialize()
    def plan(self) -> None:
        self.agg = CourierRun.plan(
            run_id=uuid.uuid4(),
            site_id=SITE,
            courier_vendor="Bay Courier",
            lab="Quest",
            specimen_ids=[uuid.uuid4()],
            meta=meta(),
        )
        self.events = list(self.agg.collect_events())
        self.status = "planned"
        self.departed: datetime | None = None

    def view(self) -> Any:
        return (self.agg.status, self.agg.departed_at, self.agg.delivered_at)

    @rule(when=st.sampled_from([-5, 0, 2, 24 * 31]))
    def depart(self, when: int) -> None:
        at = T0 + timedelta(hours=when)
        refusal: Refusal = InvalidCourierRunTransition if self.status != "planned" else None
        if refusal is None and at > NOW:
            refusal = StepTimeInFuture
        if self.attempt(lambda: self.agg.depart(at=at, now=NOW, meta=meta()), refusal):
            self.status, self.departed = "departed", at

    @rule(when=st.sampled_from([-5, 0, 2, 24 * 31]))
    def deliver(self, when: int) -> None:
        at = T0 + timedelta(hours=when)
        refusal: Refusal = InvalidCourierRunTransition if self.status != "departed" else None
        if refusal is None and at > NOW:
            refusal = StepTimeInFuture
        elif refusal is None and self.departed is not None and at < self.departed:
            refusal = StepTimeOutOfOrder
        if self.attempt(lambda: self.agg.deliver(at=at, now=NOW, meta=meta()), refusal):
            self.status = "delivered"

    @rule()
    def cancel(self) -> None:
        refusal: Refusal = InvalidCourierRunTransition if self.status != "planned" else None
        if self.attempt(lambda: self.agg.cancel(reason="no courier", meta=meta()), refusal):
            self.status = "cancelled"

    @invariant()
    def the_state_matches_the_model(self) -> None:
        assert self.agg.status == self.status
        if self.agg.delivered_at is not None:
            assert self.agg.departed_at is not None
            assert self.agg.departed_at <= self.agg.delivered_at


TestSpecimenLifecycle = SpecimenLifecycle.TestCase
TestCourierRunLifecycle = CourierRunLifecycle.TestCase
