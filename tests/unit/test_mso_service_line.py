"""ServiceLine: the MSO's request for a PC authorization, and whether it is in force."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from eventsourcing.domain import Aggregate
from hypothesis import given, settings
from hypothesis import strategies as st

from mhg.errors import Conflict
from mhg.meta import Meta
from services.mso_ops.domain.errors import (
    AuthorizationAlreadyRequested,
    DecisionDoesNotMatch,
    ServiceLineNotAuthorized,
)
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.service_line import (
    AUTHORIZED,
    DENIED,
    PROPOSED,
    REQUESTED,
    REVOKED,
    SUSPENDED,
    AuthorizationInForce,
    ServiceLine,
)

SITE_ID = uuid.UUID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
EFFECTIVE = date(2025, 4, 1)
READINESS = {"staff": ["rn-1", "ma-2"], "equipment_checked": True}


def pending(aggregate: Aggregate) -> list[Any]:
    """The aggregate's new events (typed loosely: each event class has its own fields)."""
    return list(aggregate.collect_events())


def meta(actor: str = "mso-admin") -> Meta:
    return Meta(actor, "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def pc_meta() -> Meta:
    return Meta("pc-feed", "service", "service", uuid.uuid4().hex, "corr", "cause")


def new_line(code: str = "sports_clearance") -> ServiceLine:
    return ServiceLine(site_id=SITE_ID, site_name="North Campus", code=code, meta=meta())


def approve(
    line: ServiceLine,
    request_id: uuid.UUID | None = None,
    effective: date = EFFECTIVE,
    conditions: list[str] | None = None,
) -> tuple[uuid.UUID, uuid.UUID]:
    authorization_id, decision_id = uuid.uuid4(), uuid.uuid4()
    the_request = request_id if request_id is not None else line.request_id
    assert the_request is not None
    conditions = conditions if conditions is not None else ["physician on call"]
    line.record_approval(
        the_request,
        PcApproval(authorization_id, decision_id, effective, conditions),
        protocol_refs=["PROT-1"],
        meta=pc_meta(),
    )
    return authorization_id, decision_id


def withdraw(line: ServiceLine, outcome: str, request_id: uuid.UUID | None = None) -> uuid.UUID:
    decision_id = uuid.uuid4()
    the_request = request_id if request_id is not None else line.request_id
    assert the_request is not None
    authorization_id = line.authorization_id or uuid.uuid4()
    withdrawal = PcWithdrawal(outcome, authorization_id, decision_id, f"pc {outcome}")
    line.record_withdrawal(the_request, withdrawal, pc_meta())
    return decision_id


def line_in(status: str) -> ServiceLine:
    line = new_line()
    if status == PROPOSED:
        return line
    line.request_authorization(READINESS, meta())
    if status == REQUESTED:
        return line
    if status == DENIED:
        withdraw(line, DENIED)
        return line
    approve(line)
    if status in (SUSPENDED, REVOKED):
        withdraw(line, status)
    assert line.status == status
    return line


# --- requesting ------------------------------------------------------------------


def test_create_id_is_deterministic_per_site_and_code() -> None:
    line = new_line()
    assert line.id == ServiceLine.create_id(SITE_ID, "sports_clearance")
    assert ServiceLine.create_id(SITE_ID, "sports_clearance") == line.id
    assert ServiceLine.create_id(SITE_ID, "school_physical") != line.id
    assert ServiceLine.create_id(uuid.uuid4(), "sports_clearance") != line.id


def test_a_new_line_is_proposed_and_not_authorized() -> None:
    line = new_line()
    assert line.status == PROPOSED
    assert line.request_id is None
    with pytest.raises(ServiceLineNotAuthorized):
        line.authorization_for(date(2030, 1, 1))


@pytest.mark.parametrize("status", [PROPOSED, DENIED, REVOKED])
def test_authorization_may_be_requested_from(status: str) -> None:
    line = line_in(status)
    previous_request = line.request_id
    version = line.version
    request_id = line.request_authorization(READINESS, meta())
    assert line.status == REQUESTED
    assert line.request_id == request_id
    assert request_id != previous_request
    assert line.version == version + 1


@pytest.mark.parametrize("status", [REQUESTED, AUTHORIZED, SUSPENDED])
def test_a_second_request_is_refused_while_one_is_pending_or_in_force(status: str) -> None:
    line = line_in(status)
    pending(line)
    version, request_id = line.version, line.request_id
    with pytest.raises(AuthorizationAlreadyRequested) as caught:
        line.request_authorization(READINESS, meta())
    assert isinstance(caught.value, Conflict)
    assert caught.value.code == "authorization-already-requested"
    assert line.status == status
    assert line.request_id == request_id
    assert line.version == version
    assert pending(line) == []


def test_the_request_event_carries_what_the_pc_needs() -> None:
    line = new_line("school_physical")
    pending(line)
    asker = meta("mso-admin-7")
    request_id = line.request_authorization(READINESS, asker)
    (requested,) = pending(line)
    assert type(requested).__name__ == "AuthorizationRequested"
    assert requested.request_id == request_id
    assert requested.site_id == SITE_ID
    assert requested.site_name == "North Campus"
    assert requested.code == "school_physical"
    version_0 = {"standard_id": None, "version": 0, "items": []}  # no PC standard yet
    assert requested.readiness == {**READINESS, "standard": version_0}
    assert requested.meta == asker


def test_each_request_gets_a_new_request_id() -> None:
    line = line_in(DENIED)
    first = line.request_id
    second = line.request_authorization(READINESS, meta())
    withdraw(line, DENIED)
    third = line.request_authorization(READINESS, meta())
    assert len({first, second, third}) == 3


# --- recording decisions ------------------------------------------------------------


def test_an_approval_for_another_request_is_refused() -> None:
    line = line_in(REQUESTED)
    pending(line)
    version = line.version
    with pytest.raises(DecisionDoesNotMatch) as caught:
        approve(line, request_id=uuid.uuid4())
    assert caught.value.code == "decision-does-not-match"
    assert isinstance(caught.value, Conflict)
    assert line.status == REQUESTED
    assert line.version == version
    assert pending(line) == []


def test_an_approval_for_a_superseded_request_is_refused() -> None:
    line = line_in(DENIED)
    old_request = line.request_id
    assert old_request is not None
    line.request_authorization(READINESS, meta())
    with pytest.raises(DecisionDoesNotMatch):
        approve(line, request_id=old_request)
    assert line.status == REQUESTED


def test_an_approval_before_any_request_is_refused() -> None:
    line = new_line()
    with pytest.raises(DecisionDoesNotMatch):
        approve(line, request_id=uuid.uuid4())
    assert line.status == PROPOSED


def test_a_withdrawal_for_another_request_is_refused() -> None:
    line = line_in(AUTHORIZED)
    with pytest.raises(DecisionDoesNotMatch):
        withdraw(line, REVOKED, request_id=uuid.uuid4())
    assert line.status == AUTHORIZED
    assert line.authorization_for(EFFECTIVE)


def test_an_approval_records_the_authorization() -> None:
    line = line_in(REQUESTED)
    conditions = ["cond 1"]
    authorization_id, decision_id = approve(line, conditions=conditions)
    conditions.append("mutated by caller")
    assert line.status == AUTHORIZED
    assert line.authorization_id == authorization_id
    assert line.decision_id == decision_id
    assert line.effective_date == EFFECTIVE
    assert line.conditions == ["cond 1"]


# --- in force -------------------------------------------------------------------------


def test_authorization_for_returns_the_ids_once_in_force() -> None:
    line = line_in(REQUESTED)
    authorization_id, decision_id = approve(line, effective=EFFECTIVE)
    for day in (EFFECTIVE, EFFECTIVE + timedelta(days=1), date(2099, 12, 31)):
        assert line.authorization_for(day) == AuthorizationInForce(authorization_id, decision_id)


def test_authorization_for_refuses_a_day_before_the_effective_date() -> None:
    line = line_in(REQUESTED)
    approve(line, effective=EFFECTIVE)
    with pytest.raises(ServiceLineNotAuthorized) as caught:
        line.authorization_for(EFFECTIVE - timedelta(days=1))
    assert caught.value.code == "service-line-not-authorized"
    assert isinstance(caught.value, Conflict)
    assert caught.value.extensions == {"service_line_status": AUTHORIZED}
    assert str(EFFECTIVE) in caught.value.detail


@pytest.mark.parametrize("status", [PROPOSED, REQUESTED, DENIED, SUSPENDED, REVOKED])
def test_authorization_for_refuses_unless_authorized(status: str) -> None:
    line = line_in(status)
    for day in (EFFECTIVE - timedelta(days=1), EFFECTIVE, date(2099, 1, 1)):
        with pytest.raises(ServiceLineNotAuthorized) as caught:
            line.authorization_for(day)
        assert caught.value.code == "service-line-not-authorized"
        assert caught.value.extensions == {"service_line_status": status}


@pytest.mark.parametrize("outcome", [SUSPENDED, REVOKED])
def test_a_withdrawal_ends_the_authorization(outcome: str) -> None:
    line = line_in(AUTHORIZED)
    assert line.authorization_for(EFFECTIVE)
    decision_id = withdraw(line, outcome)
    assert line.status == outcome
    assert line.decision_id == decision_id
    with pytest.raises(ServiceLineNotAuthorized):
        line.authorization_for(EFFECTIVE + timedelta(days=30))


def test_a_new_request_after_revocation_clears_the_previous_authorization() -> None:
    line = line_in(REQUESTED)
    approve(line, effective=EFFECTIVE, conditions=["old condition"])
    withdraw(line, REVOKED)
    line.request_authorization(READINESS, meta())
    assert line.status == REQUESTED
    assert line.authorization_id is None
    assert line.decision_id is None
    assert line.effective_date is None
    assert line.conditions == []
    with pytest.raises(ServiceLineNotAuthorized):
        line.authorization_for(EFFECTIVE + timedelta(days=1))


def test_replaying_the_events_reproduces_the_state() -> None:
    line = line_in(REVOKED)
    line.request_authorization(READINESS, meta())
    approve(line, effective=date(2026, 1, 1))
    events = pending(line)
    rebuilt: Any = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, ServiceLine)
    assert vars(rebuilt) == vars(line)
    assert rebuilt.authorization_for(date(2026, 1, 1)) == line.authorization_for(date(2026, 1, 1))


# --- property ----------------------------------------------------------------------------

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("request")),
        st.tuples(st.just("approve"), days),
        st.tuples(st.just("withdraw"), st.sampled_from([DENIED, SUSPENDED, REVOKED])),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(ops=operations, day=days)
def test_in_force_iff_last_status_is_authorized_and_day_is_effective(
    ops: list[tuple[Any, ...]], day: date
) -> None:
    line = new_line()
    status = PROPOSED
    has_request = False
    effective: date | None = None
    in_force: tuple[uuid.UUID, uuid.UUID] | None = None
    for op in ops:
        if op[0] == "request":
            if status in (PROPOSED, DENIED, REVOKED):
                line.request_authorization(READINESS, meta())
                status, has_request, effective, in_force = REQUESTED, True, None, None
            else:
                with pytest.raises(AuthorizationAlreadyRequested):
                    line.request_authorization(READINESS, meta())
        elif not has_request:
            # nothing to answer yet: any decision names a request the line never made
            if op[0] == "approve":
                with pytest.raises(DecisionDoesNotMatch):
                    approve(line, request_id=uuid.uuid4(), effective=op[1])
            else:
                with pytest.raises(DecisionDoesNotMatch):
                    withdraw(line, op[1], request_id=uuid.uuid4())
        elif op[0] == "approve":
            in_force = approve(line, effective=op[1])
            status, effective = AUTHORIZED, op[1]
        else:
            withdraw(line, op[1])
            status = op[1]
        assert line.status == status

    expected = status == AUTHORIZED and effective is not None and day >= effective
    if expected:
        assert in_force is not None
        assert line.authorization_for(day) == AuthorizationInForce(*in_force)
    else:
        with pytest.raises(ServiceLineNotAuthorized):
            line.authorization_for(day)


def test_a_reinstatement_answers_only_a_suspension_of_this_authorization() -> None:
    line = ServiceLine(site_id=uuid.uuid4(), site_name="East", code="sports_clearance", meta=meta())
    request_id = line.request_authorization({"summary": "ready"}, meta())
    authorization_id, approval = uuid.uuid4(), uuid.uuid4()
    approved = PcApproval(authorization_id, approval, date(2026, 1, 1), [])
    line.record_approval(request_id, approved, protocol_refs=[], meta=meta())
    not_suspended = PcReinstatement(authorization_id, uuid.uuid4(), "not suspended")
    with pytest.raises(DecisionDoesNotMatch):
        line.record_reinstatement(request_id, not_suspended, meta())
    suspension = PcWithdrawal("suspended", authorization_id, uuid.uuid4(), "on leave")
    line.record_withdrawal(request_id, suspension, meta())
    another = PcReinstatement(uuid.uuid4(), uuid.uuid4(), "another authorization")
    with pytest.raises(DecisionDoesNotMatch):
        line.record_reinstatement(request_id, another, meta())
    reinstatement = uuid.uuid4()
    line.record_reinstatement(
        request_id, PcReinstatement(authorization_id, reinstatement, "back"), meta()
    )
    assert line.status == "authorized"
    in_force = line.authorization_for(date(2027, 1, 1))
    assert in_force.decision_id == reinstatement
    assert in_force.authorization_id == authorization_id
