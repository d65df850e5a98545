"""The clinical boundary is enforced: no MSO, vendor, auditor or service role can decide.

The test walks every route PC Governance has, so a deciding route added later is
covered without anyone remembering to add it here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mhg.auth import ROLE_ORG, Role
from mhg.settings import PcGovernanceSettings
from services.pc_governance.app import create_app
from services.pc_governance.domain.decision_rights import DECISION_RIGHTS
from tests.conftest import SECRET, auth

NOT_PC = [role for role in Role if ROLE_ORG[role] != {"pc"}]
PC_DECIDER = Role.MEDICAL_DIRECTOR


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("pc") / "pc.sqlite"
    settings = PcGovernanceSettings(
        database_url=f"sqlite:///{path}",
        auth_secret=SECRET,
        follow_peer=False,
        run_projections=False,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def deciding_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every route that changes PC state: in this service, every one that is not a read."""
    document = client.app.openapi()  # type: ignore[attr-defined]
    routes = []
    for template, operations in document["paths"].items():
        for method in operations:
            if method.upper() not in {"GET", "HEAD"}:
                path = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), template)
                routes.append((method.upper(), path))
    return routes


def test_the_walk_covers_every_authorization_decision(client: TestClient) -> None:
    walked = {path.rsplit("/", 1)[-1] for _, path in deciding_routes(client)}
    assert walked >= {"approve", "deny", "suspend", "revoke", "retire"}
    templates = {path for _, path in deciding_routes(client) if path.startswith("/visit-templates")}
    assert len(templates) == 5  # draft, next version, revise, approve, retire


@pytest.mark.parametrize("role", NOT_PC, ids=[r.value for r in NOT_PC])
def test_no_deciding_route_is_reachable_by_a_non_pc_role(client: TestClient, role: Role) -> None:
    for method, path in deciding_routes(client):
        response = client.request(method, path, json={}, headers=auth(role.value))
        assert response.status_code == 403, (
            f"{role.value} reached {method} {path}: {response.status_code}"
        )
        assert response.json()["type"] == "/problems/forbidden"


def test_deciding_routes_need_a_credential_and_admit_the_medical_director(
    client: TestClient,
) -> None:
    for method, path in deciding_routes(client):
        assert client.request(method, path, json={}).status_code == 401
        # past the role check, an empty body is the next thing refused
        admitted = client.request(method, path, json={}, headers=auth(PC_DECIDER.value))
        assert admitted.status_code == 422, (method, path, admitted.text)


def test_the_decision_rights_table_is_published_and_pc_decisions_are_pc_only(
    client: TestClient,
) -> None:
    table = client.get("/decision-rights").json()
    assert [row["decision"] for row in table] == [right.decision for right in DECISION_RIGHTS]
    pc_roles = {role.value for role in Role if ROLE_ORG[role] == {"pc"}}
    for row in table:
        if row["owner"] == "pc":
            assert set(row["deciding_roles"]) <= pc_roles, row
    service_line = next(row for row in table if row["decision"] == "service_line_authorization")
    assert service_line["other_party_may"].startswith("request it")
