"""HTTP conventions: problems for bad input with nothing written, credentials, idempotency,
versions, pagination. Run on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from mhg.auth import Role, issue_token
from mhg.tokenkeys import TokenKey
from tests.conftest import ISSUERS, TEST_KEYS, auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.pages import every_page
from tests.integration.services import Pair

pytestmark = pytest.mark.storage

SITE = {"name": "Northgate Clinic", "kind": "clinic", "address": "9 Elm St"}


def heads(pair: Pair) -> tuple[int, int]:
    return pair.mso_runtime.application.head_position(), pair.pc_runtime.application.head_position()


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{code}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


BAD_SITES = [
    ("malformed JSON", b"{name:", "body"),
    ("unknown enum value", {**SITE, "kind": "hospital"}, "body.kind"),
    ("wrong type", {**SITE, "name": 42}, "body.name"),
    ("missing field", {"name": "x", "kind": "clinic"}, "body.address"),
    ("oversize string", {**SITE, "name": "n" * 201}, "body.name"),
    ("blank string", {**SITE, "name": "   "}, "body.name"),
    ("unknown field", {**SITE, "owner": "someone"}, "body.owner"),
    ("not an object", [1, 2], "body"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_SITES, ids=[c[0] for c in BAD_SITES])
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(
    pair: Pair, case: str, body: Any, field: str
) -> None:
    before = heads(pair)
    if isinstance(body, bytes):
        response = pair.mso.post(
            "/sites", content=body, headers={**ADMIN, "content-type": "application/json"}
        )
    else:
        response = pair.mso.post("/sites", json=body, headers=ADMIN)
    problem = assert_problem(response, 422, "invalid-request")
    assert any(error["field"].startswith(field) for error in problem["errors"]), problem
    assert heads(pair) == before


def test_unknown_ids_and_illegal_transitions_write_nothing(pair: Pair) -> None:
    site_id = pair.mso.post("/sites", json=SITE, headers=ADMIN).json()["id"]
    before = heads(pair)
    assert_problem(
        pair.mso.get("/sites/00000000-0000-0000-0000-000000000000", headers=ADMIN),
        404,
        "site-not-found",
    )
    assert_problem(pair.mso.get("/sites/not-a-uuid", headers=ADMIN), 422, "invalid-request")
    assert_problem(
        pair.mso.post(
            "/sites/00000000-0000-0000-0000-000000000000/service-lines",
            json={"code": "sports_clearance"},
            headers=ADMIN,
        ),
        404,
        "site-not-found",
    )
    assert_problem(
        pair.mso.post(
            f"/sites/{site_id}/service-lines/sports_clearance/authorization-requests",
            json={"readiness": {"summary": ""}},
            headers=ADMIN,
        ),
        404,
        "service-line-not-found",
    )
    assert_problem(
        pair.pc.post(
            "/authorizations/00000000-0000-0000-0000-000000000000/approve",
            json={
                "effective_date": "2027-01-01",
                "basis": {"kind": "medical_director_act", "reference": "x"},
            },
            headers=DIRECTOR,
        ),
        404,
        "authorization-not-found",
    )
    assert heads(pair) == before

    pair.mso.post(
        f"/sites/{site_id}/service-lines", json={"code": "school_physical"}, headers=ADMIN
    )
    assert_problem(
        pair.mso.post(
            f"/sites/{site_id}/service-lines", json={"code": "school_physical"}, headers=ADMIN
        ),
        409,
        "service-line-already-proposed",
    )
    request = f"/sites/{site_id}/service-lines/school_physical/authorization-requests"
    assert (
        pair.mso.post(request, json={"readiness": {"summary": "ready"}}, headers=ADMIN).status_code
        == 201
    )
    after_request = heads(pair)
    assert_problem(
        pair.mso.post(request, json={"readiness": {"summary": "again"}}, headers=ADMIN),
        409,
        "authorization-already-requested",
    )
    pair.sync()
    authorization = pair.pc.get("/authorizations", headers=DIRECTOR).json()["items"][0]["id"]
    pc_before = heads(pair)
    assert_problem(
        pair.pc.post(
            f"/authorizations/{authorization}/revoke",
            json={"reason": "x", "basis": {"kind": "medical_director_act", "reference": "x"}},
            headers=DIRECTOR,
        ),
        409,
        "invalid-authorization-transition",
    )
    assert heads(pair) == pc_before
    assert heads(pair)[0] == after_request[0]


def test_credentials(pair: Pair) -> None:
    assert_problem(pair.mso.get("/sites"), 401, "unauthorized")
    assert pair.mso.get("/sites").headers["www-authenticate"] == "Bearer"
    mso = {"issuer": ISSUERS["mso"], "audience": "mso-ops"}
    expired = issue_token(
        TEST_KEYS["mso"].signing,
        **mso,
        subject="ann",
        org="mso",
        role=Role.MSO_ADMIN,
        ttl_seconds=1,
        now=1_000_000,
    )
    assert (
        "expired"
        in assert_problem(
            pair.mso.get("/sites", headers={"Authorization": f"Bearer {expired}"}),
            401,
            "unauthorized",
        )["detail"]
    )
    impostor = TokenKey.generate(TEST_KEYS["mso"].signing.kid)  # the right kid, another key
    forged = issue_token(impostor, **mso, subject="ann", org="mso", role=Role.MSO_ADMIN)
    assert_problem(
        pair.mso.get("/sites", headers={"Authorization": f"Bearer {forged}"}), 401, "unauthorized"
    )
    assert_problem(
        pair.mso.get("/sites", headers={"Authorization": "Bearer not.a.jwt"}), 401, "unauthorized"
    )
    assert_problem(
        pair.mso.get("/sites", headers={"Authorization": "Basic YTpi"}), 401, "unauthorized"
    )
    assert_problem(
        pair.mso.post("/sites", json=SITE, headers=auth("mso_scheduler")), 403, "forbidden"
    )
    assert_problem(pair.mso.post("/sites", json=SITE, headers=DIRECTOR), 403, "forbidden")
    assert_problem(pair.mso.get("/contracts/v1/feed", headers=ADMIN), 403, "forbidden")
    assert (
        pair.mso.get("/contracts/v1/feed", headers=auth("service", "pc-governance")).status_code
        == 200
    )


def test_idempotency_key_returns_the_first_response(pair: Pair) -> None:
    first = pair.mso.post("/sites", json=SITE, headers={**ADMIN, "Idempotency-Key": "site-1"})
    assert first.status_code == 201
    head = heads(pair)
    again = pair.mso.post("/sites", json=SITE, headers={**ADMIN, "Idempotency-Key": "site-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"] == f"/sites/{first.json()['id']}"
    assert heads(pair) == head
    other = pair.mso.post(
        "/sites", json={**SITE, "name": "Other"}, headers={**ADMIN, "Idempotency-Key": "site-1"}
    )
    assert_problem(other, 422, "idempotency-key-reused")
    assert heads(pair) == head
    someone_else = pair.mso.post(
        "/sites", json=SITE, headers={**auth("mso_admin", "bob"), "Idempotency-Key": "site-1"}
    )
    assert someone_else.status_code == 201
    assert someone_else.json()["id"] != first.json()["id"], "keys are scoped to the caller"
    assert_problem(
        pair.mso.post("/sites", json=SITE, headers={**ADMIN, "Idempotency-Key": "bad key!"}),
        422,
        "invalid-request",
    )


def test_a_create_that_crashed_before_its_response_was_stored_is_not_repeated(pair: Pair) -> None:
    first = pair.mso.post("/sites", json=SITE, headers={**ADMIN, "Idempotency-Key": "crash-1"})
    table = pair.mso_runtime.store.metadata.tables["idempotency_keys"]
    with pair.mso_runtime.store.writer.begin() as conn:
        conn.execute(table.delete())  # as if the process died after saving the events
    head = heads(pair)
    retry = pair.mso.post("/sites", json=SITE, headers={**ADMIN, "Idempotency-Key": "crash-1"})
    assert retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert heads(pair) == head


def test_etag_and_if_match(pair: Pair) -> None:
    site_id = pair.mso.post("/sites", json=SITE, headers=ADMIN).json()["id"]
    created = pair.mso.post(
        f"/sites/{site_id}/service-lines", json={"code": "sports_clearance"}, headers=ADMIN
    )
    assert created.headers["etag"] == '"1"'
    line = pair.mso.get(f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN)
    assert line.headers["etag"] == '"1"'
    url = f"/sites/{site_id}/service-lines/sports_clearance/authorization-requests"
    head = heads(pair)
    stale = pair.mso.post(
        url, json={"readiness": {"summary": "x"}}, headers={**ADMIN, "If-Match": '"7"'}
    )
    assert assert_problem(stale, 412, "stale-version")["current_version"] == 1
    assert heads(pair) == head
    garbage = pair.mso.post(
        url, json={"readiness": {"summary": "x"}}, headers={**ADMIN, "If-Match": "garbage"}
    )
    assert_problem(garbage, 412, "stale-version")
    fresh = pair.mso.post(
        url, json={"readiness": {"summary": "x"}}, headers={**ADMIN, "If-Match": '"1"'}
    )
    assert fresh.status_code == 201
    assert fresh.headers["etag"] == '"2"'


def test_lists_paginate_stably_and_filter(pair: Pair) -> None:
    ids = [
        pair.mso.post(
            "/sites",
            json={**SITE, "name": f"Site {n}", "kind": "campus" if n % 2 else "clinic"},
            headers=ADMIN,
        ).json()["id"]
        for n in range(7)
    ]
    pair.sync()
    seen = every_page(pair.mso, "/sites", ADMIN, limit=3)
    assert [item["id"] for item in seen] == ids
    proposed = pair.mso.get(
        "/sites", params={"status": "proposed", "limit": 100}, headers=ADMIN
    ).json()
    assert len(proposed["items"]) == 7
    assert pair.mso.get("/sites", params={"status": "live"}, headers=ADMIN).json()["items"] == []
    assert_problem(
        pair.mso.get("/sites", params={"cursor": "garbage"}, headers=ADMIN), 422, "invalid-cursor"
    )
    assert_problem(
        pair.mso.get("/sites", params={"limit": 0}, headers=ADMIN), 422, "invalid-request"
    )
    assert_problem(
        pair.mso.get("/sites", params={"limit": 100000}, headers=ADMIN), 422, "invalid-request"
    )


def test_framework_errors_are_problems_too(pair: Pair) -> None:
    assert_problem(pair.mso.get("/no-such-route"), 404, "not-found")
    assert_problem(pair.mso.delete("/sites", headers=ADMIN), 405, "method-not-allowed")
    big = pair.mso.post(
        "/sites", content=b"x" * 2_000_000, headers={**ADMIN, "content-type": "application/json"}
    )
    assert_problem(big, 413, "payload-too-large")


def test_request_and_correlation_ids_are_echoed_and_recorded(pair: Pair) -> None:
    response = pair.mso.post(
        "/sites",
        json=SITE,
        headers={**ADMIN, "X-Correlation-ID": "corr-42", "X-Request-ID": "req-1"},
    )
    assert response.headers["x-correlation-id"] == "corr-42"
    assert response.headers["x-request-id"] == "req-1"
    app = pair.mso_runtime.application
    notification = app.recorder.select_notifications(start=None, limit=10)[-1]
    event = app.decode(notification)
    assert event.meta.correlation_id == "corr-42"  # type: ignore[attr-defined]
    assert event.meta.request_id == "req-1"  # type: ignore[attr-defined]
    assert event.meta.actor_id == "ann"  # type: ignore[attr-defined]
    assert event.meta.actor_org == "mso"  # type: ignore[attr-defined]
    generated = pair.mso.get("/sites", headers=ADMIN)
    assert len(generated.headers["x-request-id"]) == 36
    assert generated.headers["x-correlation-id"] == generated.headers["x-request-id"]
