"""The `mhg` command, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select

from mhg.auth import PC_ROLES, InvalidToken, Role
from mhg.keysource import FileKeys
from mhg.trust import TrustedIssuer, Verifier
from mhg_cli.token_command import service_environment
from tests.conftest import SECRET, StoreUrl, auth, trusting_verifier
from tests.integration.services import service_pair

pytestmark = pytest.mark.storage


def mhg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MHG_AUTH_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "mhg_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_token_prints_a_token_the_services_accept() -> None:
    done = mhg("token", "--role", "medical_director", "--sub", "dr-lee")
    assert done.returncode == 0, done.stderr
    principal = trusting_verifier("pc").verify(done.stdout.strip())
    assert jwt.get_unverified_header(done.stdout.strip())["kid"] == "test-pc-1"
    assert trusting_verifier("mso").verify(done.stdout.strip()) == principal
    assert principal.role == Role.MEDICAL_DIRECTOR
    assert principal.org == "pc"
    assert principal.subject == "dr-lee"
    vendor = mhg("token", "--role", "vendor", "--sub", "acme", "--site", "s1", "--site", "s2")
    assert trusting_verifier("mso").verify(vendor.stdout.strip()).sites == {"s1", "s2"}
    wrong = mhg("token", "--role", "mso_admin", "--org", "pc", "--sub", "x")
    assert wrong.returncode == 2
    assert "does not act for org pc" in wrong.stderr


def test_openapi_export_writes_the_committed_documents(tmp_path: Path) -> None:
    done = mhg("openapi", "export", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("mso_ops.v1.json", "pc_governance.v1.json"):
        assert (tmp_path / name).read_text() == (Path("openapi") / name).read_text()


def test_rebuild_replays_the_log_into_the_read_models(store_url: StoreUrl) -> None:
    url = store_url("mso_ops")
    with service_pair(lambda name: url if name == "mso_ops" else store_url(name)) as pair:
        for n in range(3):
            pair.mso.post(
                "/sites",
                json={"name": f"Site {n}", "kind": "clinic", "address": "x"},
                headers=auth("mso_admin"),
            )
        pair.sync()
        table = pair.mso_runtime.store.metadata.tables["mso_sites"]
        with pair.mso_runtime.store.writer.begin() as conn:
            before = conn.execute(select(table.c.id).order_by(table.c.position)).scalars().all()
            conn.execute(table.delete())
        done = mhg("rebuild", "mso-ops", "--database-url", url)
        assert done.returncode == 0, done.stderr
        assert "mso-ops: 3 events applied of 3 in the log" in done.stdout
        with pair.mso_runtime.store.reader.connect() as conn:
            after = conn.execute(select(table.c.id).order_by(table.c.position)).scalars().all()
        assert after == before
        assert len(after) == 3


def test_run_gives_each_service_only_its_own_private_key() -> None:
    base = {
        "PATH": "/usr/bin",
        "MHG_PC_GOVERNANCE_TOKEN_KEYS_FILE": "/elsewhere/pc/token-keys.json",
        "MHG_PC_GOVERNANCE_DATABASE_URL": "sqlite:///pc.sqlite",
        "MHG_MSO_OPS_DATABASE_URL": "sqlite:///mso.sqlite",
    }
    mso = service_environment("mso-ops", base)
    assert not any(name.startswith("MHG_PC_GOVERNANCE_") for name in mso)
    assert mso["MHG_MSO_OPS_TOKEN_KEYS_FILE"] == "var/keys/mso/token-keys.json"
    assert mso["MHG_MSO_OPS_PEER_JWKS"] == "var/keys/pc/token-jwks.json"
    assert mso["MHG_MSO_OPS_DATABASE_URL"] == "sqlite:///mso.sqlite"
    pc = service_environment("pc-governance", base)
    assert not any(name.startswith("MHG_MSO_OPS_") for name in pc)
    assert pc["MHG_PC_GOVERNANCE_TOKEN_KEYS_FILE"] == "/elsewhere/pc/token-keys.json"
    assert pc["MHG_PC_GOVERNANCE_PEER_JWKS"] == "var/keys/mso/token-jwks.json"


def test_development_keys_per_org_rotate_and_sign_the_roles_tokens(tmp_path: Path) -> None:
    """In a fresh directory (no key settings): `mhg token` signs with its org's dev key."""
    clean = {k: v for k, v in os.environ.items() if "TOKEN_KEYS" not in k and "JWKS" not in k}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mhg_cli", *args],
            capture_output=True,
            text=True,
            env=clean,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    director = run("token", "--role", "medical_director", "--sub", "dr-lee").stdout.strip()
    keys = tmp_path / "var" / "keys"
    assert (keys / "pc" / "token-keys.json").stat().st_mode & 0o777 == 0o600
    first = json.loads((keys / "pc" / "token-jwks.json").read_text())["keys"][0]["kid"]
    assert jwt.get_unverified_header(director)["kid"] == first
    admin = run("token", "--role", "mso_admin", "--sub", "ann").stdout.strip()
    assert jwt.get_unverified_header(admin)["kid"] != first
    assert jwt.decode(admin, options={"verify_signature": False})["iss"] == "urn:mhg:mso"

    rotated = run("keys", "rotate", "--org", "pc")
    assert rotated.returncode == 0, rotated.stderr
    published = json.loads((keys / "pc" / "token-jwks.json").read_text())["keys"]
    assert published[0]["kid"] == first
    assert all("d" not in key for key in published)
    newer = run("token", "--role", "physician", "--sub", "dr-kim").stdout.strip()
    assert jwt.get_unverified_header(newer)["kid"] == published[1]["kid"]

    checker = Verifier(
        "pc-governance",
        [
            (
                TrustedIssuer(issuer="urn:mhg:pc", org="pc", roles=PC_ROLES),
                FileKeys(keys / "pc" / "token-jwks.json"),
            )
        ],
    )
    assert checker.verify(director).subject == "dr-lee"
    assert checker.verify(newer).role == Role.PHYSICIAN
    assert run("keys", "retire", "--org", "pc", "--kid", first).returncode == 0
    with pytest.raises(InvalidToken, match="is not one of the issuer's keys"):
        checker.verify(director)
    assert checker.verify(newer).subject == "dr-kim"
