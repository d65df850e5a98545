"""Fixtures every suite shares: credentials, and a fresh store on each backend.

`store_url` runs a test once on SQLite (a real file) and once on PostgreSQL (a
fresh schema) when MHG_TEST_POSTGRES_URL is set; otherwise the PostgreSQL run is
reported as skipped with that reason. A set but unreachable URL is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from mhg.auth import ROLE_ORG, Role, issue_token

SECRET = "test-secret-" + "x" * 40
POSTGRES_ENV = "MHG_TEST_POSTGRES_URL"

StoreUrl = Callable[[str], str]


def auth(
    role: str, sub: str = "tester", *, sites: tuple[str, ...] = (), org: str | None = None
) -> dict[str, str]:
    """Headers with a bearer token for `role` (its usual org unless given)."""
    the_role = Role(role)
    the_org = org or sorted(ROLE_ORG[the_role])[0]
    token = issue_token(SECRET, subject=sub, org=the_org, role=the_role, sites=sites)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not postgres_url():
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[StoreUrl]:
    """Makes database URLs for named stores on the test's backend, and cleans them up."""
    schemas: list[str] = []

    def make(name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / name}.sqlite"
        schema = f"t_{name}_{uuid.uuid4().hex[:10]}"
        schemas.append(schema)
        base = postgres_url()
        assert base is not None
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}schema={schema}"

    yield make
    if schemas:
        engine = create_engine(postgres_url() or "")
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def pytest_sessionstart(session: pytest.Session) -> None:
    url = postgres_url()
    if url is None:
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        pytest.exit(f"{POSTGRES_ENV} is set but PostgreSQL does not answer: {error}", returncode=3)
    finally:
        engine.dispose()
