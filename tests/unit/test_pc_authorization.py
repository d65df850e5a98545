"""The PC's Authorization aggregate: decisions, their basis, and the lifecycle."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.pc_governance.domain.authorization import (
    APPROVED,
    DENIED,
    PENDING,
    REVOKED,
    SUSPENDED,
    TRANSITIONS,
    Authorization,
)
from services.pc_governance.domain.authorization_basis import BASIS_KINDS
from services.pc_governance.domain.errors import (
    DecisionBasisRequired,
    InvalidAuthorizationTransition,
)

BASIS = {"kind": "meeting_decision", "reference": "GM-2025-03 item 4"}
MD_BASIS = {"kind": "medical_director_act", "reference": "MDA-17"}
EFFECTIVE = date(2025, 3, 1)


def pending(aggregate: Aggregate) -> list[Any]:
    """The aggregate's new events (typed loosely: each event class has its own fields)."""
    return list(aggregate.collect_events())


def meta(actor: str = "dr-house", role: str = "medical_director") -> Meta:
    return Meta(
        actor_id=actor,
        actor_role=role,
        actor_org="pc",
        request_id=f"req-{uuid.uuid4().hex[:8]}",
        correlation_id="corr-1",
        causation_id="cause-1",
    )


def new_authorization(
    request_id: uuid.UUID | None = None, requested_by: Meta | None = None
) -> Authorization:
    return Authorization(
        request_id=request_id or uuid.uuid4(),
        kind="service_line",
        site_id=uuid.UUID("11111111-2222-3333-4444-555555555555"),
        site_name="North Campus",
        service_line="sports_clearance",
        readiness={"staffed": True, "checklist": ["room", "scale"]},
        requested_at=datetime(2025, 2, 1, 9, 0, tzinfo=UTC),
        meta=requested_by or meta("mso-admin-1", "service"),
    )


def decide(
    agg: Authorization, decision: str, basis: dict[str, str] | None = None, m: Meta | None = None
) -> uuid.UUID:
    """Take `decision` ("approve", "deny", "suspend", "revoke", "reinstate") on `agg`."""
    basis = BASIS if basis is None else basis
    m = m or meta()
    if decision == "approve":
        return agg.approve(
            conditions=["supervising physician on call"],
            protocol_refs=["PROT-7 v2"],
            effective_date=EFFECTIVE,
            basis=basis,
            meta=m,
        )
    act: dict[str, Callable[..., uuid.UUID]] = {
        "deny": agg.deny,
        "suspend": agg.suspend,
        "revoke": agg.revoke,
        "reinstate": agg.reinstate,
    }
    return act[decision](reason=f"reason for {decision}", basis=basis, meta=m)


# The path of decisions that leads to each status from pending.
PATH_TO: dict[str, list[str]] = {
    PENDING: [],
    APPROVED: ["approve"],
    DENIED: ["deny"],
    SUSPENDED: ["approve", "suspend"],
    REVOKED: ["approve", "revoke"],
}


def authorization_in(status: str) -> Authorization:
    agg = new_authorization()
    for decision in PATH_TO[status]:
        decide(agg, decision)
    assert agg.status == status
    pending(agg)
    return agg


def rebuild(events: list[Any]) -> Authorization:
    aggregate: Any = None
    for e in events:
        aggregate = e.mutate(aggregate)
    assert isinstance(aggregate, Authorization)
    return aggregate


# --- creation -----------------------------------------------------------------


def test_create_id_is_deterministic_and_names_the_aggregate() -> None:
    request_id = uuid.uuid4()
    assert Authorization.create_id(request_id) == Authorization.create_id(request_id)
    assert Authorization.create_id(request_id) != Authorization.create_id(uuid.uuid4())
    agg = new_authorization(request_id)
    assert agg.id == Authorization.create_id(request_id)
    # the same request always lands on the same aggregate
    assert new_authorization(request_id).id == agg.id


def test_a_new_authorization_is_pending_with_no_decisions() -> None:
    requester = meta("mso-admin-9", "service")
    agg = new_authorization(requested_by=requester)
    assert agg.status == PENDING
    assert agg.version == 1
    assert agg.decisions == []
    assert agg.latest_decision is None
    assert agg.requested_by == "mso-admin-9"
    assert agg.effective_date is None
    assert agg.conditions == []
    events = pending(agg)
    assert len(events) == 1
    assert events[0].meta == requester


# --- transitions ----------------------------------------------------------------


LEGAL = [
    (status, decision)
    for decision, (allowed_from, _) in TRANSITIONS.items()
    for status in sorted(allowed_from)
]
ILLEGAL = [
    (status, decision)
    for decision, (allowed_from, _) in TRANSITIONS.items()
    for status in (PENDING, APPROVED, DENIED, SUSPENDED, REVOKED)
    if status not in allowed_from
]


def test_the_transition_table_is_the_documented_lifecycle() -> None:
    assert TRANSITIONS["approve"] == (frozenset({PENDING}), APPROVED)
    assert TRANSITIONS["deny"] == (frozenset({PENDING}), DENIED)
    assert TRANSITIONS["suspend"] == (frozenset({APPROVED}), SUSPENDED)
    assert TRANSITIONS["revoke"] == (frozenset({APPROVED, SUSPENDED}), REVOKED)
    assert TRANSITIONS["reinstate"] == (frozenset({SUSPENDED}), APPROVED)
    assert len(LEGAL) == 6
    assert len(ILLEGAL) == 19


@pytest.mark.parametrize(("status", "decision"), LEGAL)
def test_a_legal_decision_moves_to_its_target_status(status: str, decision: str) -> None:
    agg = authorization_in(status)
    version = agg.version
    decider = meta("dr-quinn")
    before = datetime.now(UTC)
    decision_id = decide(agg, decision, MD_BASIS, decider)
    after = datetime.now(UTC)

    assert agg.status == TRANSITIONS[decision][1]
    assert agg.version == version + 1
    recorded = agg.decisions[-1]
    assert agg.latest_decision == recorded
    assert recorded.decision_id == decision_id
    assert recorded.decision == decision
    assert recorded.basis == MD_BASIS
    assert recorded.decided_by == "dr-quinn"
    assert before <= recorded.decided_at <= after
    assert recorded.decided_at.tzinfo is not None
    events = pending(agg)
    assert len(events) == 1
    assert events[0].meta == decider
    assert events[0].decision_id == decision_id


@pytest.mark.parametrize(("status", "decision"), ILLEGAL)
def test_an_illegal_decision_is_refused_and_records_nothing(status: str, decision: str) -> None:
    agg = authorization_in(status)
    version, decisions = agg.version, list(agg.decisions)
    with pytest.raises(InvalidAuthorizationTransition) as caught:
        decide(agg, decision)
    error = caught.value
    assert isinstance(error, Conflict)
    assert error.code == "invalid-authorization-transition"
    assert error.extensions == {"current_status": status}
    assert decision in error.detail
    assert agg.status == status
    assert agg.version == version
    assert agg.decisions == decisions
    assert pending(agg) == []


@pytest.mark.parametrize("status", [DENIED, REVOKED])
def test_denied_and_revoked_are_final(status: str) -> None:
    agg = authorization_in(status)
    for decision in TRANSITIONS:
        with pytest.raises(InvalidAuthorizationTransition):
            decide(agg, decision)
    assert agg.status == status


def test_approval_records_conditions_protocols_and_effective_date() -> None:
    agg = new_authorization()
    conditions = ["cond A", "cond B"]
    agg.approve(
        conditions=conditions,
        protocol_refs=["P-1"],
        effective_date=date(2025, 6, 1),
        basis=BASIS,
        meta=meta(),
    )
    conditions.append("added later by the caller")
    assert agg.conditions == ["cond A", "cond B"]
    assert agg.protocol_refs == ["P-1"]
    assert agg.effective_date == date(2025, 6, 1)


@pytest.mark.parametrize("decision", ["deny", "suspend", "revoke"])
def test_a_withdrawal_records_its_reason(decision: str) -> None:
    agg = authorization_in(PENDING if decision == "deny" else APPROVED)
    decide(agg, decision)
    assert agg.reason == f"reason for {decision}"


# --- basis ------------------------------------------------------------------------


INVALID_BASES: list[dict[str, str]] = [
    {},
    {"reference": "GM-1"},
    {"kind": "", "reference": "GM-1"},
    {"kind": "hallway_conversation", "reference": "GM-1"},
    {"kind": "MEETING_DECISION", "reference": "GM-1"},
    {"kind": "meeting_decision"},
    {"kind": "meeting_decision", "reference": ""},
    {"kind": "meeting_decision", "reference": "   "},
    {"kind": "medical_director_act", "reference": "\t\n"},
]


@pytest.mark.parametrize("basis", INVALID_BASES)
@pytest.mark.parametrize(("status", "decision"), LEGAL)
def test_a_decision_without_a_valid_basis_is_refused_and_records_nothing(
    status: str, decision: str, basis: dict[str, str]
) -> None:
    agg = authorization_in(status)
    version = agg.version
    with pytest.raises(DecisionBasisRequired) as caught:
        decide(agg, decision, basis)
    assert isinstance(caught.value, RuleViolation)
    assert caught.value.code == "decision-basis-required"
    assert agg.status == status
    assert agg.version == version
    assert pending(agg) == []


@pytest.mark.parametrize("kind", BASIS_KINDS)
def test_both_basis_kinds_are_accepted(kind: str) -> None:
    agg = new_authorization()
    decide(agg, "approve", {"kind": kind, "reference": "ref-1"})
    assert agg.decisions[-1].basis == {"kind": kind, "reference": "ref-1"}


def test_the_recorded_basis_is_a_copy() -> None:
    agg = new_authorization()
    basis = {"kind": "meeting_decision", "reference": "GM-1"}
    decide(agg, "approve", basis)
    basis["reference"] = "tampered"
    assert agg.decisions[-1].basis == {"kind": "meeting_decision", "reference": "GM-1"}


# --- decisions and events -------------------------------------------------------------


def test_each_decision_gets_a_distinct_id_in_order() -> None:
    agg = new_authorization()
    ids = [decide(agg, d, m=meta(f"dr-{d}")) for d in ("approve", "suspend", "revoke")]
    assert len(set(ids)) == 3
    assert [d.decision_id for d in agg.decisions] == ids
    assert [d.decision for d in agg.decisions] == ["approve", "suspend", "revoke"]
    assert [d.decided_by for d in agg.decisions] == ["dr-approve", "dr-suspend", "dr-revoke"]
    times = [d.decided_at for d in agg.decisions]
    assert times == sorted(times)
    assert agg.version == 4
    assert len(agg.decisions) == agg.version - 1


def test_two_authorizations_do_not_share_decision_ids() -> None:
    one, two = new_authorization(), new_authorization()
    assert decide(one, "approve") != decide(two, "approve")


def test_every_event_carries_the_meta_it_was_given() -> None:
    metas = [meta("mso-1", "service"), meta("dr-a"), meta("dr-b"), meta("dr-c")]
    agg = new_authorization(requested_by=metas[0])
    for decision, m in zip(("approve", "suspend", "revoke"), metas[1:], strict=True):
        decide(agg, decision, m=m)
    events = pending(agg)
    assert [e.meta for e in events] == metas
    assert [type(e).__name__ for e in events] == ["Requested", "Approved", "Suspended", "Revoked"]
    assert [e.originator_version for e in events] == [1, 2, 3, 4]
    assert all(e.originator_id == agg.id for e in events)


@pytest.mark.parametrize("path", [["approve"], ["deny"], ["approve", "suspend", "revoke"]])
def test_decision_events_carry_their_subject(path: list[str]) -> None:
    agg = new_authorization()
    pending(agg)
    for decision in path:
        decide(agg, decision)
    subject = {
        "request_id": agg.request_id,
        "site_id": agg.site_id,
        "service_line": "sports_clearance",
    }
    events = pending(agg)
    assert len(events) == len(path)
    for e, decision in zip(events, path, strict=True):
        assert e.subject == subject
        assert e.basis == BASIS
        assert isinstance(e.decision_id, uuid.UUID)
        assert e.decided_at.tzinfo is not None
        if decision == "approve":
            assert e.effective_date == EFFECTIVE
        else:
            assert e.reason == f"reason for {decision}"


def test_replaying_the_events_reproduces_the_state() -> None:
    for path in (
        [],
        ["approve"],
        ["deny"],
        ["approve", "suspend"],
        ["approve", "revoke"],
        ["approve", "suspend", "revoke"],
    ):
        agg = new_authorization()
        for decision in path:
            decide(agg, decision, m=meta(f"dr-{decision}"))
        rebuilt = rebuild(pending(agg))
        assert rebuilt.id == agg.id
        assert rebuilt.version == agg.version
        assert rebuilt.status == agg.status
        assert rebuilt.decisions == agg.decisions
        assert rebuilt.effective_date == agg.effective_date
        assert rebuilt.conditions == agg.conditions
        assert rebuilt.reason == agg.reason
        assert vars(rebuilt) == vars(agg)


def test_replay_keeps_the_original_decision_time() -> None:
    agg = new_authorization()
    decide(agg, "approve")
    events = pending(agg)
    original = agg.decisions[0].decided_at
    rebuilt = rebuild(events)
    assert rebuilt.decisions[0].decided_at == original
    assert datetime.now(UTC) - original < timedelta(minutes=1)
