"""Fixtures every suite shares: credentials, and a store of the test's own.

Two kinds of store, both the product's real SQLite and PostgreSQL code paths:

- The storage contract (tests marked `storage`: the store, feed and tracking,
  projection runner, idempotency, audit chain, replay, concurrency, real processes)
  runs on every backend: once on SQLite (a fresh file) and once on PostgreSQL (a
  fresh schema) when MHG_TEST_POSTGRES_URL is set; otherwise the PostgreSQL run is
  reported as skipped with that reason. A set but unreachable URL is a failure.
- Every other test (rules over HTTP) runs once, on the fast store: SQLite files of
  its own, copied from ones a service built at the start of the session (see
  `tests/store_templates.py`), so a test does not pay for creating 64 tables and 131
  indexes per service. The service still starts on them through its own start-up.

Test ids keep the backend (`[sqlite]`, `[postgres]`) either way.
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
from tests.store_templates import StoreTemplates

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


BACKENDS = ("sqlite", "postgres")
STORAGE = "storage"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The storage contract on every backend; everything else once, on the fast store."""
    if "backend" not in metafunc.fixturenames:
        return
    every = metafunc.definition.get_closest_marker(STORAGE) is not None
    metafunc.parametrize("backend", BACKENDS if every else BACKENDS[:1], indirect=True)


def is_storage_contract(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker(STORAGE) is not None


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not postgres_url():
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return str(request.param)


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> StoreTemplates:
    return StoreTemplates(tmp_path_factory.mktemp("store-templates"))


@pytest.fixture
def store_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, store_templates: StoreTemplates
) -> Iterator[StoreUrl]:
    """Makes database URLs for named stores on the test's backend, and cleans them up.

    Outside the storage contract, a store named after a service (`mso_ops`,
    `pc_governance`) starts as a copy of the files that service created at the start
    of the session; any other name, and every store of the contract, starts empty.
    """
    schemas: list[str] = []
    fast = backend == "sqlite" and not is_storage_contract(request)
    made: set[str] = set()

    def make(name: str) -> str:
        if backend == "sqlite":
            if fast and name not in made:
                store_templates.copy(name, tmp_path)
            made.add(name)
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
