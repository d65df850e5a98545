"""A material change under any sequence of PC decisions, allowed or not, against a model."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.site_change import SiteChange

# decision -> (statuses it applies in, status it leads to)
MODEL = {
    "approve": ({"requested"}, "approved"),
    "deny": ({"requested"}, "denied"),
    "suspend": ({"approved"}, "suspended"),
    "revoke": ({"approved", "suspended"}, "revoked"),
    "reinstate": ({"suspended"}, "approved"),
}
OUTCOME = {"deny": "denied", "suspend": "suspended", "revoke": "revoked"}
AUTHORIZATION = uuid.uuid4()


def meta() -> Meta:
    return Meta("pc-feed", "service", "service", uuid.uuid4().hex, "corr", "cause")


def apply(change: SiteChange, decision: str, authorization_id: uuid.UUID) -> None:
    decision_id = uuid.uuid4()
    if decision == "approve":
        approval = PcApproval(authorization_id, decision_id, date(2026, 5, 1), [])
        change.record_approval(approval, meta())
    elif decision == "reinstate":
        change.record_reinstatement(PcReinstatement(authorization_id, decision_id, "ok"), meta())
    else:
        withdrawal = PcWithdrawal(OUTCOME[decision], authorization_id, decision_id, "r")
        change.record_withdrawal(withdrawal, meta())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(MODEL)), st.booleans()), min_size=1, max_size=12))
def test_a_change_follows_the_pcs_decisions_and_ignores_the_rest(
    decisions: list[tuple[str, bool]],
) -> None:
    change = SiteChange(
        id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        site_name="Eastside",
        aspect="hours",
        proposed="9-5",
        description="d",
        previous=None,
        operating_term=None,
        meta=meta(),
    )
    events: list[Any] = list(change.collect_events())
    status, approved_under = "requested", None
    for decision, same_authorization in decisions:
        authorization_id = AUTHORIZATION if same_authorization else uuid.uuid4()
        allowed_in, leads_to = MODEL[decision]
        foreign = approved_under is not None and authorization_id != approved_under
        expected_ok = status in allowed_in and not foreign
        version = change.version
        try:
            apply(change, decision, authorization_id)
        except DecisionDoesNotMatch:
            assert not expected_ok, (decision, status)
            assert change.version == version
            assert change.status == status
            continue
        assert expected_ok, (decision, status)
        status = leads_to
        if decision == "approve":
            approved_under = authorization_id
        events.extend(change.collect_events())
        assert change.status == status
        if status in {"approved", "suspended", "revoked"}:
            assert change.authorization_id == approved_under
    rebuilt: Any = None
    for event in events:
        rebuilt = event.mutate(rebuilt)
    assert (rebuilt.status, rebuilt.decision_id, rebuilt.version) == (
        change.status,
        change.decision_id,
        change.version,
    )
