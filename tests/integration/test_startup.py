"""Start-up against an unreachable store: `mhg serve` exits 2 with one clear line, no trace."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import SECRET
from tests.e2e.harness import free_port


def serve_against(database_url: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        **os.environ,
        "MHG_AUTH_SECRET": SECRET,
        "MHG_MSO_OPS_DATABASE_URL": database_url,
        "MHG_MSO_OPS_STORE_TIMEOUT": "2",
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mhg_cli", "serve", "mso-ops", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize("store", ["refused", "silent"])
def test_serve_against_an_unreachable_store_exits_with_one_clear_line(store: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # listens, never answers
        port = silent.getsockname()[1] if store == "silent" else free_port()
        url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{port}/mhg"
        done, seconds = serve_against(url)

    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(
        f"mhg serve mso-ops: cannot reach the store at postgresql+psycopg://postgres:***@127.0.0.1:{port}/mhg: "
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert "secret" not in done.stderr
    assert seconds < 60  # interpreter start-up included; the connection gives up after 2 s
