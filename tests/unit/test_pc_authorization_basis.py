"""Every decision resting on a meeting names a logged decision: one check for all."""

from __future__ import annotations

import uuid
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.v1.authorization import AuthorizationKind
from services.pc_governance.domain.authorization_basis import (
    Carried,
    check_meeting_decision_is_logged,
)
from services.pc_governance.domain.authorization_errors import MeetingDecisionNotFound
from services.pc_governance.domain.decision_rights import (
    DECISION_FOR_REQUEST_KIND,
    DECISION_RIGHTS,
    deciding_roles,
)

LOGGED = uuid.uuid4()


def in_log(decision_id: uuid.UUID) -> Carried | None:
    return Carried(LOGGED, uuid.uuid4(), uuid.uuid4(), None) if decision_id == LOGGED else None


def test_a_meeting_basis_names_a_logged_decision_and_an_act_its_own_reference() -> None:
    check_meeting_decision_is_logged({"kind": "meeting_decision", "reference": str(LOGGED)}, in_log)
    padded = {"kind": "meeting_decision", "reference": f"  {LOGGED}  "}
    check_meeting_decision_is_logged(padded, in_log)
    act = {"kind": "medical_director_act", "reference": "GM-2026-11 item 3"}
    check_meeting_decision_is_logged(act, in_log)


@given(st.one_of(st.text(max_size=40), st.uuids().map(str)))
def test_anything_but_a_logged_decision_id_is_refused(reference: str) -> None:
    if reference.strip() == str(LOGGED):
        return
    with pytest.raises(MeetingDecisionNotFound) as refused:
        check_meeting_decision_is_logged(
            {"kind": "meeting_decision", "reference": reference}, in_log
        )
    assert refused.value.extensions == {"field": "basis.reference"}


def test_the_refusal_names_the_field_it_was_given() -> None:
    source = {"kind": "meeting_decision", "reference": "GM-2026-11 item 5"}
    with pytest.raises(MeetingDecisionNotFound) as refused:
        check_meeting_decision_is_logged(source, in_log, field="source.reference")
    assert refused.value.extensions == {"field": "source.reference"}


def test_every_request_kind_has_a_pc_decision_right_the_medical_director_holds() -> None:
    rights = {right.decision: right for right in DECISION_RIGHTS}
    assert set(DECISION_FOR_REQUEST_KIND) == set(get_args(AuthorizationKind))
    for decision in DECISION_FOR_REQUEST_KIND.values():
        assert rights[decision].owner == "pc"
        assert deciding_roles(decision) == ("medical_director",)
