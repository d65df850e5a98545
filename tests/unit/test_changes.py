"""`mhg.changes.Change` in a real FastAPI app: what reaches the command, and in what order
a route refuses (role, then input, then version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from mhg import problems
from mhg.auth import Principal, Role
from mhg.changes import Change
from mhg.meta import Meta
from mhg.web import RequestIdentity, expected_version, require
from tests.conftest import auth, trusting_verifier


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    pinned: bool = False


@dataclass
class Ledger:
    version: int = 3
    calls: list[dict[str, Any]] = field(default_factory=list)

    def annotate(self, ledger_id: UUID, page: int, **kwargs: Any) -> Ledger:
        self.calls.append({"ledger_id": ledger_id, "page": page, **kwargs})
        self.version += 1
        return self


Writer = Annotated[Principal, Depends(require(Role.MSO_ADMIN))]


def client(ledger: Ledger) -> TestClient:
    router = APIRouter()

    @router.post("/ledgers/{ledger_id}/pages/{page}/notes")
    def annotate(
        ledger_id: UUID, page: int, body: NoteIn, caller: Writer, change: Change
    ) -> dict[str, int]:
        return {
            "version": change(
                caller, ledger.annotate, ledger_id, page, body=body, side="recto"
            ).version
        }

    app = FastAPI()
    problems.install(app)
    app.include_router(router)
    app.add_middleware(RequestIdentity)
    app.state.verifier = trusting_verifier("mso")
    return TestClient(app)


ADMIN = auth("mso_admin", "ann")


def test_the_command_gets_ids_body_fields_what_the_route_adds_version_and_who_acts() -> None:
    ledger = Ledger()
    ledger_id = uuid4()
    response = client(ledger).post(
        f"/ledgers/{ledger_id}/pages/2/notes",
        json={"text": "checked"},
        headers={**ADMIN, "If-Match": '"3"', "X-Correlation-ID": "c-1"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"4"'
    [call] = ledger.calls
    meta = call.pop("meta")
    assert call == {
        "ledger_id": ledger_id,
        "page": 2,
        "text": "checked",
        "pinned": False,
        "side": "recto",
        "expected_version": 3,
    }
    assert isinstance(meta, Meta)
    assert (meta.actor_id, meta.actor_role, meta.correlation_id) == ("ann", "mso_admin", "c-1")


def test_role_then_input_then_version() -> None:
    ledger = Ledger()
    web = client(ledger)
    foreign = {"If-Match": "not-an-etag"}
    path = f"/ledgers/{uuid4()}/pages/2/notes"
    assert web.post(path, json={"text": "x"}, headers=foreign).status_code == 401
    other_role = {**auth("mso_billing"), **foreign}
    assert web.post(path, json={"text": "x"}, headers=other_role).status_code == 403
    assert web.post(path, json={}, headers={**ADMIN, **foreign}).status_code == 422
    bad_path = "/ledgers/no-uuid/pages/2/notes"
    assert web.post(bad_path, json={"text": "x"}, headers={**ADMIN, **foreign}).status_code == 422
    refused = web.post(path, json={"text": "x"}, headers={**ADMIN, **foreign})
    assert refused.status_code == 412
    assert refused.json()["type"] == "/problems/stale-version"
    assert ledger.calls == []


@settings(max_examples=60, deadline=None)
@given(
    header=st.one_of(
        st.none(), st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20)
    )
)
def test_the_command_runs_exactly_when_if_match_names_a_version(header: str | None) -> None:
    ledger = Ledger()
    headers = dict(ADMIN) if header is None else {**ADMIN, "If-Match": header}
    response = client(ledger).post(
        f"/ledgers/{uuid4()}/pages/1/notes", json={"text": "x"}, headers=headers
    )
    try:
        wanted = expected_version(header)
    except problems.Problem:
        assert response.status_code == 412
        assert ledger.calls == []
        return
    assert response.status_code == 200, response.text
    assert [c["expected_version"] for c in ledger.calls] == [wanted]
