"""A state machine that makes random moves, allowed or not, on one clearance form."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.form_errors import InvalidFormRequest, InvalidFormTransition
from services.mso_ops.domain.timeline import StepTimeInFuture, StepTimeOutOfOrder

T0 = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=20)
DUE = date(2027, 8, 10)
CLINICIAN = uuid.UUID(int=0xC)
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
Refusal = type[DomainError] | None

# The lifecycle as the domain describes it, written independently of the aggregate.
FROM = {"prepare": "requested", "sign": "prepared", "deliver": "signed"}
TO = {"prepare": "prepared", "sign": "signed", "deliver": "delivered"}
OPEN = {"requested", "prepared", "signed"}


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


class FormLifecycle(RuleBasedStateMachine):
    @initialize()
    def request(self) -> None:
        self.agg = Form.request(
            form_id=uuid.uuid4(),
            site_id=uuid.uuid4(),
            service_line="school_physical",
            kind="school_physical",
            requester_kind="school",
            requester_name="Lincoln High",
            patient=PATIENT,
            appointment=None,
            due_on=DUE,
            received_at=T0,
            now=NOW,
            meta=meta(),
        )
        self.events: list[Any] = list(self.agg.collect_events())
        self.status = "requested"
        self.times = [T0]

    def _view(self) -> Any:
        a = self.agg
        return (a.status, a.prepared_at, a.signed_at, a.signed_by, a.delivered_at, a.patient)

    def attempt(self, act: Callable[[], Any], refusal: Refusal) -> bool:
        version, before = self.agg.version, copy.deepcopy(self._view())
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"refused with {refused!r}; the model allows it"
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert self._view() == before
            assert list(self.agg.collect_events()) == []
            return False
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new = list(self.agg.collect_events())
        assert len(new) == 1
        assert self.agg.version == version + 1
        self.events.extend(new)
        return True

    @rule(
        step=st.sampled_from(sorted(FROM)),
        when=st.one_of(st.sampled_from([-3, 0, 5, 30]), st.just("future")),
        method=st.sampled_from(["email", "portal", "pigeon"]),
    )
    def step(self, step: str, when: int | str, method: str) -> None:
        at = NOW + timedelta(hours=1) if when == "future" else self.times[-1]
        if isinstance(when, int):
            at += timedelta(hours=when)
        refusal: Refusal = None
        if self.status != FROM[step]:
            refusal = InvalidFormTransition
        elif step == "deliver" and method == "pigeon":
            refusal = InvalidFormRequest
        elif at > NOW:
            refusal = StepTimeInFuture
        elif at < self.times[-1]:
            refusal = StepTimeOutOfOrder
        moves: dict[str, Callable[[], None]] = {
            "prepare": lambda: self.agg.prepare(at=at, now=NOW, meta=meta()),
            "sign": lambda: self.agg.record_signature(
                clinician_id=CLINICIAN, signed_at=at, now=NOW, meta=meta()
            ),
            "deliver": lambda: self.agg.deliver(at=at, method=method, now=NOW, meta=meta()),
        }
        if self.attempt(moves[step], refusal):
            self.status = TO[step]
            self.times.append(at)

    @rule()
    def cancel(self) -> None:
        refusal = None if self.status in OPEN else InvalidFormTransition
        if self.attempt(lambda: self.agg.cancel(reason="withdrawn", meta=meta()), refusal):
            self.status = "cancelled"

    @invariant()
    def the_state_matches_the_model(self) -> None:
        a = self.agg
        assert a.status == self.status
        assert a.patient == PATIENT, "no step touches the patient data"
        done = [t for t in (a.received_at, a.prepared_at, a.signed_at, a.delivered_at) if t]
        assert done == self.times
        assert done == sorted(done)
        assert (a.signed_by == CLINICIAN) == (a.signed_at is not None)
        assert a.overdue_on(DUE + timedelta(days=1)) == (self.status in OPEN)


TestFormLifecycle = FormLifecycle.TestCase
