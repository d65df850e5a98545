"""Fixtures every suite shares: credentials, and a store of the test's own.

Two kinds of store, both the product's real SQLite and PostgreSQL code paths:

- The storage contract (tests marked `storage`: the store, feed and tracking,
  projection runner, idempotency, audit chain, replay, concurrency, real processes)
  runs on every backend: once on SQLite (a fresh file) and once on PostgreSQL (a
  fresh schema) when MHG_TEST_POSTGRES_URL is set; otherwise the PostgreSQL run is
  reported as skipped with that reason. A set but unreachable URL is a failure.
- A business flow across real processes (tests marked `deployed`: the e2e cycles)
  runs once, on the store several processes are deployed on: PostgreSQL when the URL
  is set, else a SQLite file. What the store must do is the storage contract's to show.
- Every other test (rules over HTTP) runs once, on the fast store: SQLite in the test
  process's memory (`mhg.memorystore`, docs/adr/0024), of its own; a service's store
  starts as a copy of the one that service made at the start of the session (see
  `tests/store_templates.py`), so a test does not pay for creating 64 tables and 131
  indexes per service, nor for syncing its writes to disk. The service still starts
  on it through its own start-up.

Test ids keep the backend (`[sqlite]`, `[postgres]`) either way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from mhg import tokenkeys
from mhg.auth import ROLE_ORG, Role, issue_token
from mhg.keysource import StaticKeys
from mhg.tokenkeys import KeyRing, TokenKey
from mhg.trust import TrustedIssuer, Verifier, assertable
from tests.store_templates import MemoryStores, StoreTemplates

# A property's examples are judged on what they return, never on how long one took: the
# default 200 ms deadline fails a correct property on a busy machine.
settings.register_profile("mhg", deadline=None)
settings.load_profile("mhg")

SECRET = "test-secret-" + "x" * 40
PATIENT_MASTER_KEY = "cGF0aWVudC1tYXN0ZXIta2V5LW9mLXRoZS10ZXN0cyE="  # 32 bytes (ADR 0031)
POSTGRES_ENV = "MHG_TEST_POSTGRES_URL"

# Each organisation's test token key (fixed, so module-level headers can be made at import).
TEST_KEYS = {
    "mso": KeyRing((TokenKey.from_seed(b"m" * 32, "test-mso-1"),)),
    "pc": KeyRing((TokenKey.from_seed(b"p" * 32, "test-pc-1"),)),
}
ISSUERS = {"mso": "urn:mhg:mso", "pc": "urn:mhg:pc"}
AUDIENCES = ("mso-ops", "pc-governance")
ENV_PREFIX = {"mso": "MHG_MSO_OPS_", "pc": "MHG_PC_GOVERNANCE_"}
KEY_DIR = Path(tempfile.gettempdir()) / f"mhg-test-keys-{os.getpid()}"

StoreUrl = Callable[[str], str]
Documents = dict[str, dict[str, Any]]


def signing_org(role: Role, org: str, sub: str) -> str:
    """Whose key vouches for this test identity: the org's; vendors the MSO's; a service
    its own organisation's (`mso-ops` the MSO, anything else the PC)."""
    if org in TEST_KEYS:
        return org
    if role == Role.SERVICE:
        return "mso" if sub == "mso-ops" else "pc"
    return "mso"


def auth(
    role: str, sub: str = "tester", *, sites: tuple[str, ...] = (), org: str | None = None
) -> dict[str, str]:
    """Headers with a bearer token for `role` (its usual org unless given), signed with the
    test key of the organisation that vouches for it, for both services' audiences."""
    the_role = Role(role)
    the_org = org or sorted(ROLE_ORG[the_role])[0]
    signer = signing_org(the_role, the_org, sub)
    token = issue_token(
        TEST_KEYS[signer].signing,
        issuer=ISSUERS[signer],
        audience=AUDIENCES,
        subject=sub,
        org=the_org,  # type: ignore[arg-type]
        role=the_role,
        sites=sites,
    )
    return {"Authorization": f"Bearer {token}"}


def trusting_verifier(org: str = "mso") -> Verifier:
    """What `org`'s service trusts, over the test keys (for apps built without a runtime)."""
    peer = "pc" if org == "mso" else "mso"
    return Verifier(
        AUDIENCES[0] if org == "mso" else AUDIENCES[1],
        [
            (
                TrustedIssuer(issuer=ISSUERS[who], org=who, roles=assertable(who)),
                StaticKeys(TEST_KEYS[who].public_jwks()),
            )
            for who in (org, peer)
        ],
    )


def key_files(org: str) -> dict[str, str]:
    """The token settings of `org`'s service: its own test keys, the peer's public keys."""
    peer = "pc" if org == "mso" else "mso"
    return {
        "token_keys_file": str(KEY_DIR / org / tokenkeys.TOKEN_KEYS),
        "peer_jwks": str(KEY_DIR / peer / tokenkeys.TOKEN_JWKS),
    }


def pytest_configure(config: pytest.Config) -> None:
    """Test keys on disk, and every service built in a test (or started as a process) told
    where its own are: settings read `MHG_<SERVICE>_TOKEN_KEYS_FILE` and `..._PEER_JWKS`."""
    for org, ring in TEST_KEYS.items():
        tokenkeys.save(ring, KEY_DIR / org)
        for name, value in key_files(org).items():
            os.environ[ENV_PREFIX[org] + name.upper()] = value


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(KEY_DIR, ignore_errors=True)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


BACKENDS = ("sqlite", "postgres")
STORAGE = "storage"
POSTGRES_ONLY = "postgres"
DEPLOYED = "deployed"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The storage contract on every backend; everything else once, on the fast store."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker(POSTGRES_ONLY) is not None:
        backends: tuple[str, ...] = BACKENDS[1:]  # what only a networked store can show
    elif metafunc.definition.get_closest_marker(DEPLOYED) is not None:
        # a business flow across real processes: once, on the store a deployment of
        # several processes runs on (PostgreSQL when given; else a SQLite file)
        backends = BACKENDS[1:] if postgres_url() else BACKENDS[:1]
    elif metafunc.definition.get_closest_marker(STORAGE) is not None:
        backends = BACKENDS
    else:
        backends = BACKENDS[:1]
    metafunc.parametrize("backend", backends, indirect=True)


def is_storage_contract(request: pytest.FixtureRequest) -> bool:
    """A real store (file or PostgreSQL schema), not the fast one in memory."""
    return any(request.node.get_closest_marker(m) is not None for m in (STORAGE, DEPLOYED))


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not postgres_url():
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return str(request.param)


@pytest.fixture(scope="session")
def store_templates() -> Iterator[StoreTemplates]:
    templates = StoreTemplates()
    yield templates
    templates.close()


@pytest.fixture(scope="session")
def openapi() -> Documents:
    """Both services' OpenAPI documents, by service name, made once per test process when
    a test first asks (not at import: every worker imports every module)."""
    from mhg_cli.main import openapi_documents  # noqa: PLC0415 - builds both services' apps

    return openapi_documents()


@pytest.fixture
def store_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, store_templates: StoreTemplates
) -> Iterator[StoreUrl]:
    """Makes database URLs for named stores on the test's backend, and cleans them up.

    Outside the storage contract, every store is in memory, and one named after a
    service (`mso_ops`, `pc_governance`) starts as a copy of the one that service
    created at the start of the session; any other name, and every store of the
    contract (a file, a schema), starts empty.
    """
    schemas: list[str] = []
    memory = MemoryStores() if backend == "sqlite" and not is_storage_contract(request) else None

    def make(name: str) -> str:
        if memory is not None:
            return store_templates.open(memory, name)
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / name}.sqlite"
        schema = f"t_{name}_{uuid.uuid4().hex[:10]}"
        schemas.append(schema)
        base = postgres_url()
        assert base is not None
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}schema={schema}"

    yield make
    if memory is not None:
        memory.close()
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
