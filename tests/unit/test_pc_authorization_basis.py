"""A go-live or material-change decision resting on a meeting names a logged decision."""

from __future__ import annotations

import uuid
from typing import get_args

import pytest

from contracts.v1.authorization import AuthorizationKind
from services.pc_governance.domain.authorization_basis import check_basis_is_logged
from services.pc_governance.domain.authorization_errors import MeetingDecisionNotFound
from services.pc_governance.domain.decision_rights import (
    DECISION_FOR_REQUEST_KIND,
    DECISION_RIGHTS,
    deciding_roles,
)

LOGGED = uuid.uuid4()


def in_log(decision_id: uuid.UUID) -> bool:
    return decision_id == LOGGED


@pytest.mark.parametrize("kind", ["site_go_live", "material_change"])
def test_a_meeting_basis_must_name_a_logged_decision(kind: str) -> None:
    check_basis_is_logged(kind, {"kind": "meeting_decision", "reference": str(LOGGED)}, in_log)
    check_basis_is_logged(kind, {"kind": "medical_director_act", "reference": "MD-1"}, in_log)
    for reference in ("GM-2026-11 item 3", str(uuid.uuid4()), ""):
        with pytest.raises(MeetingDecisionNotFound) as refused:
            check_basis_is_logged(
                kind, {"kind": "meeting_decision", "reference": reference}, in_log
            )
        assert refused.value.extensions == {"field": "basis.reference"}


def test_service_line_decisions_keep_free_text_meeting_references() -> None:
    basis = {"kind": "meeting_decision", "reference": "GM-2026-11 item 3"}
    check_basis_is_logged("service_line", basis, in_log)


def test_every_request_kind_has_a_pc_decision_right_the_medical_director_holds() -> None:
    rights = {right.decision: right for right in DECISION_RIGHTS}
    assert set(DECISION_FOR_REQUEST_KIND) == set(get_args(AuthorizationKind))
    for decision in DECISION_FOR_REQUEST_KIND.values():
        assert rights[decision].owner == "pc"
        assert deciding_roles(decision) == ("medical_director",)
