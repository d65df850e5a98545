"""A state machine that takes random decisions, valid or not, on one Authorization."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.domain import Aggregate
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mhg.meta import Meta
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.authorization_basis import BASIS_KINDS
from services.pc_governance.domain.errors import (
    DecisionBasisRequired,
    InvalidAuthorizationTransition,
)

# The lifecycle as the domain describes it, written independently of TRANSITIONS.
MODEL: dict[tuple[str, str], str] = {
    ("pending", "approve"): "approved",
    ("pending", "deny"): "denied",
    ("approved", "suspend"): "suspended",
    ("approved", "revoke"): "revoked",
    ("suspended", "revoke"): "revoked",
    ("suspended", "reinstate"): "approved",
}
FINAL = {"denied", "revoked"}
DECISIONS = ("approve", "deny", "suspend", "revoke", "reinstate")

valid_bases = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(BASIS_KINDS),
        "reference": st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != ""),
    }
)
invalid_bases: st.SearchStrategy[dict[str, str]] = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.text(max_size=20).filter(lambda k: k not in BASIS_KINDS),
            "reference": st.text(min_size=1, max_size=12),
        }
    ),
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(BASIS_KINDS),
            "reference": st.text(alphabet=" \t\n\r\x0b\x0c", max_size=4),
        }
    ),
    st.fixed_dictionaries({"kind": st.sampled_from(BASIS_KINDS)}),
    st.just({}),
)
bases = st.one_of(valid_bases.map(lambda b: (True, b)), invalid_bases.map(lambda b: (False, b)))
actors = st.sampled_from(["dr-a", "dr-b", "dr-c"])


def pending(aggregate: Aggregate) -> list[Any]:
    """The aggregate's new events (typed loosely: each event class has its own fields)."""
    return list(aggregate.collect_events())


def meta(actor: str) -> Meta:
    return Meta(actor, "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


class AuthorizationLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.agg = Authorization(
            request_id=uuid.uuid4(),
            kind="service_line",
            site_id=uuid.uuid4(),
            site_name="Site",
            service_line="school_physical",
            readiness={},
            requested_at=datetime.now(UTC),
            meta=meta("mso"),
        )
        self.events: list[Any] = list(pending(self.agg))
        self.status = "pending"
        self.ever_final: str | None = None
        self.expected_decisions: list[tuple[uuid.UUID, str, dict[str, str], str]] = []

    @rule(
        decision=st.sampled_from(DECISIONS),
        basis=bases,
        actor=actors,
        effective=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    )
    def take(
        self, decision: str, basis: tuple[bool, dict[str, str]], actor: str, effective: date
    ) -> None:
        valid, the_basis = basis
        version = self.agg.version
        decisions = list(self.agg.decisions)
        target = MODEL.get((self.status, decision))
        m = meta(actor)
        try:
            if decision == "approve":
                decision_id = self.agg.approve(
                    conditions=[],
                    protocol_refs=[],
                    effective_date=effective,
                    basis=the_basis,
                    meta=m,
                )
            else:
                act = getattr(self.agg, decision)
                decision_id = act(reason="r", basis=the_basis, meta=m)
        except InvalidAuthorizationTransition:
            assert target is None, f"{decision} from {self.status} should be allowed"
        except DecisionBasisRequired:
            assert target is not None, f"{decision} from {self.status} should be a transition"
            assert not valid, f"basis {the_basis!r} should be accepted"
        else:
            assert target is not None, f"{decision} from {self.status} should be refused"
            assert valid, f"basis {the_basis!r} should be refused"
            assert self.agg.status == target
            assert self.agg.version == version + 1
            new = pending(self.agg)
            assert len(new) == 1
            assert new[0].meta == m
            self.events.extend(new)
            self.status = target
            self.expected_decisions.append((decision_id, decision, dict(the_basis), actor))
            if target in FINAL:
                self.ever_final = target
            return
        # refused: nothing changed and nothing is pending
        assert self.agg.status == self.status
        assert self.agg.version == version
        assert self.agg.decisions == decisions
        assert pending(self.agg) == []

    @precondition(lambda self: self.status in FINAL)
    @rule(decision=st.sampled_from(DECISIONS), basis=valid_bases)
    def final_refuses_everything(self, decision: str, basis: dict[str, str]) -> None:
        version = self.agg.version
        try:
            if decision == "approve":
                self.agg.approve(
                    conditions=[],
                    protocol_refs=[],
                    effective_date=date(2025, 1, 1),
                    basis=basis,
                    meta=meta("dr-a"),
                )
            else:
                getattr(self.agg, decision)(reason="r", basis=basis, meta=meta("dr-a"))
        except InvalidAuthorizationTransition:
            pass
        else:
            raise AssertionError(f"{decision} was accepted from final {self.status}")
        assert self.agg.version == version

    @invariant()
    def status_matches_the_model(self) -> None:
        assert self.agg.status == self.status

    @invariant()
    def one_decision_per_event_after_the_request(self) -> None:
        assert len(self.agg.decisions) == self.agg.version - 1
        assert self.agg.version == len(self.events)

    @invariant()
    def decision_ids_are_unique(self) -> None:
        ids = [d.decision_id for d in self.agg.decisions]
        assert len(ids) == len(set(ids))

    @invariant()
    def decisions_are_as_taken(self) -> None:
        got = [(d.decision_id, d.decision, d.basis, d.decided_by) for d in self.agg.decisions]
        assert got == self.expected_decisions

    @invariant()
    def a_final_status_is_never_left(self) -> None:
        if self.ever_final is not None:
            assert self.agg.status == self.ever_final

    @invariant()
    def rebuilding_from_the_events_gives_the_same_aggregate(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Authorization)
        assert rebuilt.status == self.agg.status
        assert rebuilt.version == self.agg.version
        assert rebuilt.decisions == self.agg.decisions
        assert rebuilt.effective_date == self.agg.effective_date


AuthorizationLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=20, deadline=None
)
TestAuthorizationLifecycle = AuthorizationLifecycle.TestCase
