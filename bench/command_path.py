"""How fast the command path writes, against the library's own save rate in the same run.

    .venv/bin/python -m bench.command_path [--backend sqlite|postgres|both] [--count N]

Three figures per backend, each a ratio to the first (the machine is shared and
noisy, so only ratios inside one run mean anything):

  library   the eventsourcing library saving one-event aggregates, nothing else
  command   MsoOpsApplication.propose_site in-process: metadata, our recorder setup
  http      POST /sites through a real uvicorn process (one worker, uvloop/httptools),
            --concurrency connections for --seconds, read models projected behind;
            driven by wrk when it is installed (apt-get install wrk), otherwise by a
            Python client, which is itself a bottleneck (the table says which)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from eventsourcing.domain import Aggregate, event

from mhg.auth import Role, issue_token
from mhg.eventstore import ServiceApplication, StoreLocation
from mhg.meta import Meta
from mhg.readstore import ensure_schema
from services.mso_ops.application import MsoOpsApplication

SECRET = "bench-secret-" + "b" * 40
META = Meta("bench", "mso_admin", "mso", "r", "c", "r")


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class Library(ServiceApplication):
    """The bare library: one-event aggregates, no metadata, no projections."""


def progress(label: str, done: int, total: int) -> None:
    if sys.stdout.isatty():
        print(f"\r  {label:<8} {done:>6}/{total}", end="", flush=True)


def timed(label: str, count: int, step: Callable[[int], None]) -> float:
    started = time.perf_counter()
    for n in range(count):
        step(n)
        if n % 100 == 0:
            progress(label, n, count)
    seconds = time.perf_counter() - started
    progress(label, count, count)
    if sys.stdout.isatty():
        print()
    return count / seconds


def library_rate(url: str, count: int) -> float:
    app = Library(StoreLocation.parse(url))
    try:
        return timed("library", count, lambda n: app.save(Note(text=f"note {n}")))
    finally:
        app.close()


def command_rate(url: str, count: int) -> float:
    app = MsoOpsApplication(StoreLocation.parse(url))
    try:
        return timed(
            "command",
            count,
            lambda n: app.sites.propose_site(
                site_id=uuid.uuid4(), name=f"Site {n}", kind="clinic", address="1 Main", meta=META
            ),
        )
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"name": "Bench site", "kind": "clinic", "address": "1 Main St"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
"""


def wrk_rate(base: str, seconds: int, concurrency: int) -> tuple[float, str]:
    """Requests per second and p99 latency, as wrk measured them; non-2xx answers fail."""
    token = issue_token(SECRET, subject="bench", org="mso", role=Role.MSO_ADMIN)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % token)
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "-s", script.name, "--latency"]
    print(f"  http     wrk, {concurrency} connections, {seconds} s")
    out = subprocess.run(
        [*command, f"{base}/sites"], capture_output=True, text=True, check=True
    ).stdout
    Path(script.name).unlink()
    if "Non-2xx" in out:
        raise RuntimeError(f"the service refused requests under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    return rate, p99


def http_rate(
    url: str,
    count: int,
    concurrency: int,
    seconds: int,
    settings: dict[str, str] | None = None,
) -> tuple[float, str]:
    """POST /sites through a real MSO Operations process; `settings` adds MHG_* variables."""
    port = free_port()
    env = {
        **os.environ,
        "MHG_AUTH_SECRET": SECRET,
        "MHG_MSO_OPS_DATABASE_URL": url,
        "MHG_MSO_OPS_FOLLOW_PEER": "false",
        **(settings or {}),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mhg_cli",
            "serve",
            "mso-ops",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        if shutil.which("wrk"):
            return wrk_rate(base, seconds, concurrency)
        return asyncio.run(_load(base, count, concurrency)), "python client"
    finally:
        server.terminate()
        server.wait(timeout=20)


async def _load(base: str, count: int, concurrency: int) -> float:
    token = issue_token(SECRET, subject="bench", org="mso", role=Role.MSO_ADMIN)
    headers = {"Authorization": f"Bearer {token}"}
    remaining = iter(range(count))
    done = 0

    async def client() -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
            for n in remaining:
                body = {"name": f"Site {n}", "kind": "clinic", "address": "1 Main"}
                response = await http.post("/sites", json=body)
                if response.status_code != 201:
                    raise RuntimeError(
                        f"POST /sites answered {response.status_code}: {response.text}"
                    )
                done += 1
                if done % 100 == 0:
                    progress("http", done, count)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    progress("http", count, count)
    if sys.stdout.isatty():
        print()
    return count / seconds


def store_for(backend: str, directory: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / name}.sqlite"
    base = os.environ.get(
        "MHG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    url = f"{base}?schema=bench_{name}_{uuid.uuid4().hex[:8]}"
    ensure_schema(StoreLocation.parse(url))
    return url


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10, help="length of the wrk run")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            print(f"{backend}: {args.count} writes per path")
            library = library_rate(store_for(backend, Path(tmp), "library"), args.count)
            command = command_rate(store_for(backend, Path(tmp), "command"), args.count)
            http, p99 = http_rate(
                store_for(backend, Path(tmp), "http"), args.count, args.concurrency, args.seconds
            )
            rows.append((backend, library, command, http, p99))
    print()
    print(
        f"| backend | library saves/s | command/s (ratio) "
        f"| HTTP POST/s, {args.concurrency} connections (ratio) | HTTP p99 |"
    )
    print("|---|---:|---:|---:|---:|")
    for backend, library, command, http, p99 in rows:
        print(
            f"| {backend} | {library:,.0f} | {command:,.0f} ({command / library:.2f}) "
            f"| {http:,.0f} ({http / library:.2f}) | {p99} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
