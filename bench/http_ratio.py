"""Our HTTP command and read paths against the bare endpoint, as ratios inside one run.

    .venv/bin/python -m bench.http_ratio [--seconds 10] [--rounds 3] [--workers 2]

Serves, each on a fresh store on PostgreSQL (database `test` on 127.0.0.1, or
MHG_BENCH_POSTGRES_URL; schemas dropped at the end):

  bare     bench/bare_endpoint.py: FastAPI, a pydantic body, one async psycopg INSERT
  ours     MSO Operations as `mhg serve mso-ops` runs it (one worker; uvloop, httptools;
           read models projected behind, the audit chain sealed), the peer not followed
  ours xN  the same with --workers N, when asked: every worker's share of the CPU the
           service spent is printed, since wrk's connections may land on one worker

and drives them with wrk (`apt-get install -y wrk`), --connections connections for
--seconds, alternating bare, ours(, ours xN, each --variant) per round, for POST /sites
(with and without an Idempotency-Key), GET /sites/{id} (of 50 sites made first), and,
on a live site with a month of published slots (bench.scheduled), POST
/slots/{id}/$book and GET /slots?site=&status=free; the bare endpoint answers those two
with its POST /sites and GET /sites/{id}. --only picks requests. The machine is shared
and drifts: compare figures inside one run only, as ratios. --profile DIR records ours
(one worker) under the first request with py-spy in one more run (not counted) and
prints where its samples go (bench.profile_areas).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import profile_areas, read_your_writes, wrk
from bench.scheduled import PATIENT, Slots, published_slots
from bench.served import Served, TokenKeys, mso_ops, postgres_store, serve, uvicorn_app

SITE = {"name": "Bench site", "kind": "clinic", "address": "1 Main St"}
READ_SITES = 50


@dataclass
class Target:
    """A served endpoint under test, with the header our service's rules need."""

    label: str
    served: Served
    headers: dict[str, str]
    site_paths: tuple[str, ...] = ()
    slots: Slots | None = None  # ours, when a scheduling request is measured
    results: dict[str, list[wrk.Measured]] = field(default_factory=dict)
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)  # per request, all workers
    worker_shares: dict[str, list[list[float]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    name: str
    load: Callable[[Target], wrk.Load]


def propose(t: Target) -> wrk.Load:
    return wrk.Load("POST", ("/sites",), t.headers, SITE)


def read_site(t: Target) -> wrk.Load:
    return wrk.Load("GET", t.site_paths, t.headers)


def book(t: Target) -> wrk.Load:
    """A place in one of the free slots (its own POST /sites for the bare endpoint)."""
    if t.slots is None:
        return propose(t)
    paths = tuple(f"/slots/{slot}/$book" for slot in t.slots.slot_ids)
    return wrk.Load("POST", paths, t.headers, {"patient": PATIENT})


def free_slots(t: Target) -> wrk.Load:
    """The first page of a site's free slots (one site read for the bare endpoint)."""
    if t.slots is None:
        return read_site(t)
    return wrk.Load("GET", (f"/slots?site={t.slots.site_id}&status=free",), t.headers)


SCHEDULING = ("POST /slots/{id}/$book", "GET /slots?site=&status=free")
REQUESTS = (
    Request("POST /sites", propose),
    Request(
        "POST /sites, Idempotency-Key",
        lambda t: wrk.Load("POST", ("/sites",), t.headers, SITE, fresh_header="Idempotency-Key"),
    ),
    Request("GET /sites/{id}", read_site),
    Request(SCHEDULING[0], book),
    Request(SCHEDULING[1], free_slots),
)


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has spent (from /proc; 0 where there is none)."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return 0.0
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def make_sites(target: Target) -> None:
    """Sites for the read path to read back, through the target's own POST /sites."""
    with httpx.Client(base_url=target.served.base, headers=target.headers, timeout=30) as http:
        paths = []
        for _ in range(READ_SITES):
            response = http.post("/sites", json=SITE)
            response.raise_for_status()
            paths.append(f"/sites/{response.json()['id']}")
    target.site_paths = tuple(paths)


def measure(target: Target, request: Request, args: argparse.Namespace) -> wrk.Measured:
    workers = target.served.worker_pids()
    before = [cpu_seconds(pid) for pid in workers]
    measured = wrk.run(target.served.base, request.load(target), args.seconds, args.connections)
    spent = [cpu_seconds(pid) - b for pid, b in zip(workers, before, strict=True)]
    target.cpu_ms.setdefault(request.name, []).append(1000 * sum(spent) / measured.requests)
    if len(workers) > 1:
        total = sum(spent) or 1.0
        target.worker_shares.setdefault(request.name, []).append([s / total for s in spent])
    return measured


def our_store(stack: ExitStack, name: str, scheduling: bool) -> tuple[str, Slots | None]:
    """A fresh MSO store, with a live site's published slots when they are measured
    (made with a PC store beside it, dropped at the end as well)."""
    url = stack.enter_context(postgres_store(name))
    if not scheduling:
        return url, None
    pc = stack.enter_context(postgres_store(f"{name}_pc"))
    print(f"  {name}: a live site with published slots (as tests/integration make one)")
    slots = published_slots(lambda store: url if store == "mso_ops" else pc)
    return url, slots


@contextmanager
def targets(args: argparse.Namespace, keys: TokenKeys, scheduling: bool) -> Iterator[list[Target]]:
    bearer = {"Authorization": f"Bearer {keys.mso_token()}"}
    ours: list[tuple[str, int, dict[str, str] | None]] = [("ours", 1, None)]
    if args.workers > 1:
        ours.append((f"ours x{args.workers}", args.workers, None))
    ours += [(f"ours, {label}", 1, settings) for label, settings in args.variant]
    with ExitStack() as stack:
        bare = stack.enter_context(serve("bare", uvicorn_app("bench.bare_endpoint:app"), {}))
        found = [Target("bare", bare, {})]
        for n, (label, workers, settings) in enumerate(ours):
            url, slots = our_store(stack, f"http{n}", scheduling)
            served = stack.enter_context(mso_ops(url, keys, workers, settings))
            found.append(Target(label, served, bearer, slots=slots))
        yield found


def variant(text: str) -> tuple[str, dict[str, str]]:
    """`label:NAME=VALUE,NAME=VALUE`: ours once more, with these environment settings."""
    label, _, assignments = text.partition(":")
    pairs = [a.partition("=") for a in assignments.split(",") if a]
    if not label or not pairs or any(not sep for _, sep, _ in pairs):
        raise argparse.ArgumentTypeError(f"not label:NAME=VALUE[,NAME=VALUE]: {text}")
    return label, {name: value for name, _, value in pairs}


def report(found: list[Target], requests: list[Request], args: argparse.Namespace) -> None:
    bare, others = found[0], found[1:]
    print()
    print(
        f"wrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds alternating; "
        "medians of the rounds; ratio = ours / bare"
    )
    print(
        "| request | served by | bare req/s | ours req/s | ratio | p99 ours | p99 bare "
        "| CPU/request ours | CPU/request bare | failed ours |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for request in requests:
        name = request.name
        bare_rate = statistics.median(m.rate for m in bare.results[name])
        bare_p99 = statistics.median(m.p99_ms for m in bare.results[name])
        bare_cpu = statistics.median(bare.cpu_ms[name])
        for target in others:
            rate = statistics.median(m.rate for m in target.results[name])
            p99 = statistics.median(m.p99_ms for m in target.results[name])
            cpu = statistics.median(target.cpu_ms[name])
            failed = sum(m.failed for m in target.results[name])
            requests_ = sum(m.requests for m in target.results[name])
            print(
                f"| {name} | {target.label} | {bare_rate:,.0f} | {rate:,.0f} "
                f"| {rate / bare_rate:.2f} | {p99:.0f} ms | {bare_p99:.0f} ms "
                f"| {cpu:.1f} ms | {bare_cpu:.1f} ms | {failed} of {requests_} |"
            )
    for target in others:
        for name, rounds in target.worker_shares.items():
            spread = ", ".join("/".join(f"{s:.0%}" for s in shares) for shares in rounds)
            print(f"{target.label} {name}: each worker's share of the CPU, per round: {spread}")
    for target in found:
        for name, runs in target.results.items():
            rates = ", ".join(f"{m.rate:,.0f}" for m in runs)
            print(f"{target.label} {name}, every round: {rates} req/s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=1, help="also measure ours with N workers")
    parser.add_argument(
        "--variant",
        type=variant,
        action="append",
        default=[],
        help="also ours with settings, e.g. 'no projections:MHG_MSO_OPS_RUN_PROJECTIONS=false'",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[r.name for r in REQUESTS],
        help="only this request (repeatable); every one by default",
    )
    parser.add_argument(
        "--profile", type=Path, help="record ours under the first request with py-spy, here"
    )
    parser.add_argument("--profile-seconds", type=int, default=20)
    args = parser.parse_args()
    try:
        wrk.require_wrk()
    except wrk.WrkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    # a terminated run still stops its services and drops its schemas
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    requests = [r for r in REQUESTS if args.only is None or r.name in args.only]
    print(f"load average at the start: {load_average()}")
    scheduling = any(r.name in SCHEDULING for r in requests)
    with (
        tempfile.TemporaryDirectory() as tmp,
        targets(args, TokenKeys(Path(tmp)), scheduling) as found,
    ):
        for target in found:
            make_sites(target)
        for request in requests:
            for target in found:
                if args.warmup:
                    wrk.run(target.served.base, request.load(target), args.warmup, args.connections)
            for round_ in range(1, args.rounds + 1):
                for target in found:
                    measured = measure(target, request, args)
                    target.results.setdefault(request.name, []).append(measured)
                    failed = f", {measured.failed} failed" if measured.failed else ""
                    print(
                        f"  round {round_}/{args.rounds} {request.name:<16} {target.label:<8}"
                        f" {measured.rate:>7,.0f} req/s  p99 {measured.p99_ms:>6.1f} ms"
                        f"  (load {load_average()}{failed})",
                        flush=True,
                    )
        for target in found[1:]:  # ours, each way it was served
            missed = read_your_writes.misses(target.served.base, target.headers)
            print(f"  read after write, {target.label}: {missed} of 320 lists missed their create")
        if args.profile:
            profile_areas.record(found[1].served, requests[0].load(found[1]), args)
        print(f"load average at the end: {load_average()}")
        if args.rounds:
            report(found, requests, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
