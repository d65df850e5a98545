"""The admin workspace's origin: development sign-in, and none in a deployment (ADR 0030)."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from starlette.testclient import TestClient

from admin.__main__ import main
from admin.origin import Upstreams, create_app


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html><title>workspace</title>")
    return tmp_path


def test_a_role_and_a_name_get_a_token_of_that_role(built: Path) -> None:
    with TestClient(create_app(Upstreams(), dist=built)) as client:
        answer = client.post(
            "/session/development", json={"role": "medical_director", "name": "dr-lee"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        claims = jwt.decode(body["token"], options={"verify_signature": False})
        assert (body["role"], body["name"]) == ("medical_director", "dr-lee")
        assert (claims["sub"], claims["role"], claims["org"]) == (
            "dr-lee",
            "medical_director",
            "pc",
        )
        assert client.get("/").text.startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("body", "field", "title"),
    [
        ({"role": "service", "name": "mso-ops"}, "role", "Unknown role"),
        ({"role": "chief", "name": "ann"}, "role", "Unknown role"),
        ({"role": "mso_admin", "name": "two words"}, "name", "Invalid name"),
        ({"role": "mso_admin", "name": "x" * 65}, "name", "Invalid name"),
        ({"role": "mso_admin"}, "name", "Invalid name"),
        (["mso_admin"], "role", "Unknown role"),
    ],
)
def test_a_refused_sign_in_is_a_problem_naming_the_field(
    built: Path, body: object, field: str, title: str
) -> None:
    with TestClient(create_app(Upstreams(), dist=built)) as client:
        answer = client.post("/session/development", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert (answer.json()["field"], answer.json()["title"]) == (field, title)
    assert answer.json()["detail"]


def test_a_deployment_has_no_development_sign_in(built: Path) -> None:
    app = create_app(Upstreams(), development=False, dist=built)
    with TestClient(app) as client:
        answer = client.post("/session/development", json={"role": "mso_admin", "name": "ann"})
    assert answer.status_code in (404, 405)


def test_a_production_workspace_refuses_to_sign_anyone_in_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the organisations' real keys configured, a development sign-in would hand any
    role to anyone: production starts only with it turned off."""
    monkeypatch.setenv("MHG_ENVIRONMENT", "production")
    monkeypatch.setattr("sys.argv", ["python -m admin"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "--without-development-sign-in" in capsys.readouterr().err
