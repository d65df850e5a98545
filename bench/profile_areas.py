"""Where a served request's CPU goes: py-spy samples of one worker under wrk's load,
each attributed to the first area of ours (or the library's) found on its stack.

    .venv/bin/python -m bench.profile_areas FILE.txt   # summarise a py-spy raw profile

bench.http_ratio --profile DIR records our POST /sites into DIR (cpu.txt, wall.txt: py-spy's
collapsed stacks, which speedscope.app and flamegraph.pl read) and summarises it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench import wrk
from bench.served import Served

REQUEST_THREADS = ("MainThread", "AnyIO worker thread")
BACKGROUND = {
    "projections": "read-model projection (background thread)",
    "sealer": "audit-chain sealing (background thread)",
}
# A request thread's sample counts for the first of these one of its frames names (in
# this order: a JSON dump inside the idempotency store is idempotency, psycopg under the
# eventsourcing recorder is the event store save)...
OWNERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("token verification (JWT, keys, trust)", ("jwt/", "mhg/trust.py", "mhg/keysource.py")),
    ("idempotency store", ("mhg/idempotency.py",)),
    ("access log (patient reads)", ("mhg/access_log.py", "mhg/access.py")),
    ("event store save: LOCK TABLE", ("_lock_table",)),
    ("event store read: loading aggregates", ("Repository.get", "Repository.__contains__")),
    ("event store save: insert, commit, pool", ("eventsourcing/",)),
    ("domain aggregate", ("services/mso_ops/domain/", "mhg/meta.py")),
    (
        "response: our model, dump, JSON",
        ("serialize_response", "_prepare_response_content", "model_dump", "Out.of", "render"),
    ),
    (
        "request body: JSON parse, pydantic",
        ("request_body_to_args", "Request.json", "Request.body"),
    ),
    ("SQLAlchemy on the request path", ("sqlalchemy/",)),
    ("command and route (ours, other)", ("services/mso_ops/", "mhg/creation.py", "mhg/eventstore")),
)
# ...and otherwise for the innermost frame that names one of these.
PLUMBING: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "thread-pool hop (anyio, queue, wake-up)",
        ("anyio/", "starlette/concurrency.py", "queue.py", "threading.py"),
    ),
    ("dependencies (FastAPI's solving)", ("fastapi/dependencies/", "fastapi/security/")),
    (
        "middleware (ours, starlette's, metrics)",
        ("mhg/web.py", "mhg/metrics.py", "middleware", "prometheus_client/", "_body_limit"),
    ),
    ("HTTP server: writing the response", ("RequestResponseCycle.send",)),
    ("HTTP server, routing, event loop", ("uvicorn/", "routing.py", "asyncio/", "httptools")),
)
IDLE = "a pool thread waiting for work, or waking to it"


def area_of(thread: str, frames: list[str]) -> str:
    """The area one sample of `thread` (py-spy's `thread (id): name`) is spent for."""
    for name, area in BACKGROUND.items():
        if name in thread:
            return area
    if not any(name in thread for name in REQUEST_THREADS):
        return "other threads (psycopg pool workers)"
    for area, marks in OWNERS:
        if any(mark in frame for frame in frames for mark in marks):
            return area
    if len(frames) >= 2 and frames[-2].startswith("Queue.get") and "worker" in thread:
        return IDLE
    for frame in reversed(frames):
        for area, marks in PLUMBING:
            if any(mark in frame for mark in marks):
                return area
    return "other: " + (frames[-1] if frames else "?")


def summarise(raw: Path, top: int = 25) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            thread, *frames = stack.split(";")
            counts[area_of(thread, frames)] += int(count)
    return counts.most_common(top)


def print_summary(raw: Path, what: str = "CPU samples") -> None:
    """The share of each area. A pool thread in `Queue.get` is waking to work when it holds
    the GIL (a hop's cost), and waiting otherwise (py-spy does not count it as idle)."""
    rows = summarise(raw)
    total = sum(n for _, n in rows) or 1
    print(f"| area | share of {what} ({total} samples) |")
    print("|---|---:|")
    for area, n in rows:
        print(f"| {area} | {n / total:.1%} |")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise RuntimeError("py-spy is not installed: `.venv/bin/pip install py-spy`")
    return found


def record(served: Served, load: wrk.Load, args: argparse.Namespace) -> None:
    """Sample the first worker under `load`, twice in a row: the samples holding the GIL
    (CPU: DIR/cpu.txt), then every thread py-spy does not see idle (wall: DIR/wall.txt).
    Collapsed stacks: speedscope.app and flamegraph.pl read them."""
    directory: Path = args.profile
    directory.mkdir(parents=True, exist_ok=True)
    pid = served.worker_pids()[0]
    seconds = args.profile_seconds
    print(
        f"  profiling {served.name} (pid {pid}) with py-spy, {seconds} s CPU then {seconds} s wall"
    )
    load_run = threading.Thread(
        target=wrk.run, args=(served.base, load, 2 * seconds + 4, args.connections), daemon=True
    )
    load_run.start()
    time.sleep(1)
    sampler = [py_spy(), "record", "--pid", str(pid), "--duration", str(seconds)]
    sampler += ["--rate", "100", "--threads", "--format", "raw"]
    for name, options in (("cpu.txt", ["--gil"]), ("wall.txt", [])):
        output = ["--output", str(directory / name)]
        subprocess.run([*sampler, *output, *options], check=True, capture_output=True)
    load_run.join()
    print(f"  py-spy's collapsed stacks: {directory / 'cpu.txt'}, {directory / 'wall.txt'}")
    print_summary(directory / "cpu.txt")
    print_summary(directory / "wall.txt", "wall-clock samples")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", type=Path)
    args = parser.parse_args()
    print_summary(args.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
