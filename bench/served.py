"""Processes a benchmark drives over HTTP: MSO Operations as `mhg serve` runs it, and
whatever else uvicorn serves; their stores, token keys and tokens.

Every process runs one service with uvicorn's uvloop loop and httptools parser (the
asyncio loop loses TCP_NODELAY with --workers: see docs/baselines.md).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from mhg import tokenkeys
from mhg.auth import Role, issue_token
from mhg.eventstore import StoreLocation
from mhg.readstore import ensure_schema

POSTGRES = os.environ.get(
    "MHG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SECRET = "bench-secret-" + "b" * 40
STARTUP_TIMEOUT = 90.0  # a loaded 2-core machine has taken over 20 s to start a service
WORKER_START_ATTEMPTS = 5
WORKERS_SETTLE = 10.0  # seconds every worker has to finish starting once one answers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_store(name: str) -> Iterator[str]:
    """A fresh schema of the bench database for one store, dropped afterwards."""
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    url = f"{POSTGRES}?schema={schema}"
    ensure_schema(StoreLocation.parse(url))
    try:
        yield url
    finally:
        engine = create_engine(POSTGRES)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            engine.dispose()


@dataclass(frozen=True)
class TokenKeys:
    """Both organisations' token keys in a directory of the benchmark's own."""

    directory: Path

    def environment(self) -> dict[str, str]:
        """MSO Operations' own private keys and the PC's public ones."""
        for org in ("mso", "pc"):
            tokenkeys.ensure(self.directory / org)
        return {
            "MHG_MSO_OPS_TOKEN_KEYS_FILE": str(self.directory / "mso" / tokenkeys.TOKEN_KEYS),
            "MHG_MSO_OPS_PEER_JWKS": str(self.directory / "pc" / tokenkeys.TOKEN_JWKS),
        }

    def mso_token(self, role: Role = Role.MSO_ADMIN, subject: str = "bench") -> str:
        ring = tokenkeys.ensure(self.directory / "mso")
        return issue_token(
            ring.signing,
            issuer="urn:mhg:mso",
            audience="mso-ops",
            subject=subject,
            org="mso",
            role=role,
            ttl_seconds=4 * 3600,
        )


@dataclass
class Served:
    """One running HTTP process: its base URL and its pid (the uvicorn parent)."""

    name: str
    base: str
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        """The processes serving requests: uvicorn's spawned workers with --workers (not
        multiprocessing's resource tracker), else itself."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        found = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [child for child in found if _spawned(child)] or [pid]


def _spawned(pid: int) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    return cmdline.exists() and b"spawn_main" in cmdline.read_bytes()


def _wait_healthy(served: Served, path: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"{served.name} exited with {served.process.returncode}")
        try:
            if httpx.get(f"{served.base}{path}", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{served.name} did not answer {path} within {STARTUP_TIMEOUT:.0f} s")


@contextmanager
def serve(
    name: str,
    command: list[str],
    env: dict[str, str],
    health: str = "/healthz",
    port: int | None = None,
) -> Iterator[Served]:
    """Start `command` on `port` or a free one (the command ends with `--port`), stop it
    after."""
    port = port or free_port()
    process = subprocess.Popen([*command, str(port)], env={**os.environ, **env})
    served = Served(name, f"http://127.0.0.1:{port}", process)
    try:
        _wait_healthy(served, health)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def mso_environment(url: str, keys: TokenKeys, settings: dict[str, str] | None) -> dict[str, str]:
    return {
        "MHG_AUTH_SECRET": SECRET,
        "MHG_MSO_OPS_DATABASE_URL": url,
        "MHG_MSO_OPS_FOLLOW_PEER": "false",  # no PC runs beside it
        **keys.environment(),
        **(settings or {}),
    }


@contextmanager
def mso_ops(
    url: str, keys: TokenKeys, workers: int = 1, settings: dict[str, str] | None = None
) -> Iterator[Served]:
    """MSO Operations as `mhg serve mso-ops` runs it; `settings` adds MHG_* variables.

    Workers starting at once on PostgreSQL collide (docs/baselines.md): creating the
    store's tables, and (2026-12-07) `CREATE OR REPLACE FUNCTION mhg_refuse_change()`
    ("tuple concurrently updated"), after which uvicorn stops every worker. So one worker
    first creates the store alone, and a start that lost a worker is tried again.
    """
    command = [sys.executable, "-m", "mhg_cli", "serve", "mso-ops", "--log-level", "warning"]
    env = mso_environment(url, keys, settings)
    if workers == 1:
        with serve("mso-ops", [*command, "--port"], env) as served:
            yield served
        return
    with serve("mso-ops (creating its store)", [*command, "--port"], env):
        pass
    name = f"mso-ops x{workers}"
    for attempt in range(1, WORKER_START_ATTEMPTS + 1):
        with ExitStack() as running:
            try:
                served = running.enter_context(
                    serve(name, [*command, "--workers", str(workers), "--port"], env)
                )
                time.sleep(WORKERS_SETTLE)
                started = served.process.poll() is None and len(served.worker_pids()) == workers
            except RuntimeError:
                started = False
            if started:
                yield served
                return
        print(f"  {name}: a worker failed to start (attempt {attempt}); starting again")
    raise RuntimeError(f"{name} did not start in {WORKER_START_ATTEMPTS} attempts")


def uvicorn_app(app: str) -> list[str]:
    """A uvicorn command line for `module:app`, one worker, uvloop and httptools."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--log-level",
        "warning",
        "--no-access-log",
        "--port",
    ]
