"""The `mhg` command, run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from mhg.auth import Role, verify_token
from tests.conftest import SECRET, StoreUrl, auth
from tests.integration.services import service_pair

pytestmark = pytest.mark.storage


def mhg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MHG_AUTH_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "mhg.cli", *args],
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
    principal = verify_token(SECRET, done.stdout.strip())
    assert principal.role == Role.MEDICAL_DIRECTOR
    assert principal.org == "pc"
    assert principal.subject == "dr-lee"
    vendor = mhg("token", "--role", "vendor", "--sub", "acme", "--site", "s1", "--site", "s2")
    assert verify_token(SECRET, vendor.stdout.strip()).sites == {"s1", "s2"}
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
