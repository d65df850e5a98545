"""Corporate practice of medicine: only PC roles take decisions the PC owns."""

from __future__ import annotations

import pytest

from mhg.auth import ROLE_ORG, Role
from services.pc_governance.domain.decision_rights import (
    AUTHORIZE_SERVICE_LINE,
    DECISION_RIGHTS,
    DecisionRight,
    deciding_roles,
)

PC_ROLES = {role.value for role, orgs in ROLE_ORG.items() if orgs == {"pc"}}
MSO_ROLES = {role.value for role, orgs in ROLE_ORG.items() if orgs == {"mso"}}
NON_PC_ROLES = {role.value for role in Role} - PC_ROLES
PC_OWNED = [right for right in DECISION_RIGHTS if right.owner == "pc"]
MSO_OWNED = [right for right in DECISION_RIGHTS if right.owner == "mso"]


def test_the_role_sets_are_what_the_doctrine_expects() -> None:
    assert {"medical_director", "physician", "app", "pc_quality"} == PC_ROLES
    assert {
        "mso_admin",
        "mso_scheduler",
        "mso_billing",
        "auditor",
        "vendor",
        "service",
    } == NON_PC_ROLES


def test_the_table_names_each_decision_once_with_a_known_owner() -> None:
    names = [right.decision for right in DECISION_RIGHTS]
    assert len(names) == len(set(names))
    assert {right.owner for right in DECISION_RIGHTS} <= {"pc", "mso"}
    assert len(PC_OWNED) >= 10
    assert AUTHORIZE_SERVICE_LINE in {right.decision for right in PC_OWNED}


@pytest.mark.parametrize("right", PC_OWNED, ids=lambda r: r.decision)
def test_a_pc_owned_decision_lists_only_pc_roles(right: DecisionRight) -> None:
    assert right.deciding_roles, f"{right.decision} names no deciding role"
    assert set(right.deciding_roles) <= PC_ROLES
    for role in right.deciding_roles:
        assert ROLE_ORG[Role(role)] == {"pc"}


@pytest.mark.parametrize("right", PC_OWNED, ids=lambda r: r.decision)
@pytest.mark.parametrize("role", sorted(NON_PC_ROLES))
def test_no_non_pc_role_may_decide_a_pc_owned_decision(right: DecisionRight, role: str) -> None:
    assert role not in deciding_roles(right.decision)


@pytest.mark.parametrize("right", MSO_OWNED, ids=lambda r: r.decision)
def test_an_mso_owned_decision_lists_only_mso_roles(right: DecisionRight) -> None:
    assert right.deciding_roles
    assert set(right.deciding_roles) <= MSO_ROLES


def test_every_deciding_role_is_a_real_role() -> None:
    for right in DECISION_RIGHTS:
        for role in right.deciding_roles:
            assert Role(role).value == role


def test_deciding_roles_looks_up_the_table() -> None:
    for right in DECISION_RIGHTS:
        assert deciding_roles(right.decision) == right.deciding_roles
    assert deciding_roles(AUTHORIZE_SERVICE_LINE) == ("medical_director",)
    with pytest.raises(KeyError):
        deciding_roles("no_such_decision")
