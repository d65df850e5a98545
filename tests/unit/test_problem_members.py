"""A problem document keeps its RFC 9457 members whatever a domain error carries."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mhg import errors, problems


def app_raising(error: Exception) -> TestClient:
    app = FastAPI()
    problems.install(app)

    @app.get("/thing")
    def thing() -> None:
        raise error

    return TestClient(app)


def test_a_domain_status_never_overwrites_the_http_status() -> None:
    error = errors.Conflict("the appointment is fulfilled", status="fulfilled", site="A")
    response = app_raising(error).get("/thing")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == 409
    assert body["current_status"] == "fulfilled"
    assert body["site"] == "A"
    assert body["type"] == "/problems/conflict"


def test_no_extension_replaces_any_rfc_9457_member() -> None:
    response = problems.problem_response(
        404,
        "not-found",
        "No such resource",
        "no site 1",
        instance="/sites/1",
        extensions={name: "domain" for name in problems.RESERVED_MEMBERS},
    )
    body = response.body.decode()
    assert '"status":404' in body
    assert '"type":"/problems/not-found"' in body
    assert '"instance":"/sites/1"' in body
    for name in problems.RESERVED_MEMBERS:
        assert f'"current_{name}":"domain"' in body
