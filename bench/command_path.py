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
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
from eventsourcing.domain import Aggregate, event

from bench import wrk
from bench.served import TokenKeys, mso_ops, postgres_store
from mhg.eventstore import ServiceApplication, StoreLocation
from mhg.meta import Meta
from services.mso_ops.application import MsoOpsApplication

SITE = {"name": "Bench site", "kind": "clinic", "address": "1 Main St"}
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


def timed(label: str, count: int, step: Callable[[int], object]) -> float:
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


def http_rate(
    url: str,
    count: int,
    concurrency: int,
    seconds: int,
    settings: dict[str, str] | None = None,
) -> tuple[float, str]:
    """POST /sites through a real MSO Operations process; `settings` adds MHG_* variables."""
    with tempfile.TemporaryDirectory() as keys_dir:
        keys = TokenKeys(Path(keys_dir))
        with mso_ops(url, keys, settings=settings) as served:
            headers = {"Authorization": f"Bearer {keys.mso_token()}"}
            if shutil.which("wrk"):
                print(f"  http     wrk, {concurrency} connections, {seconds} s")
                load = wrk.Load("POST", ("/sites",), headers, SITE)
                measured = wrk.run(served.base, load, seconds, concurrency, threads=2)
                if measured.failed:
                    raise RuntimeError(f"the service refused {measured.failed} requests under load")
                return measured.rate, f"{measured.p99_ms:.0f} ms"
            return asyncio.run(_load(served.base, headers, count, concurrency)), "python client"


async def _load(base: str, headers: dict[str, str], count: int, concurrency: int) -> float:
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


def store_for(backend: str, directory: Path, name: str, stores: ExitStack) -> str:
    """A fresh store: a SQLite file in `directory`, or a PostgreSQL schema dropped with `stores`."""
    if backend == "sqlite":
        return f"sqlite:///{directory / name}.sqlite"
    return stores.enter_context(postgres_store(name))


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
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stores:
        for backend in backends:
            print(f"{backend}: {args.count} writes per path")
            library = library_rate(store_for(backend, Path(tmp), "library", stores), args.count)
            command = command_rate(store_for(backend, Path(tmp), "command", stores), args.count)
            http, p99 = http_rate(
                store_for(backend, Path(tmp), "http", stores),
                args.count,
                args.concurrency,
                args.seconds,
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
