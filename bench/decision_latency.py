"""How soon a PC decision is visible at the MSO, idle and while the MSO serves a POST load.

    PYTHONPATH=.:src .venv/bin/python -m bench.decision_latency [--decisions 100] [--connections 32]

Serves both services as `mhg run` does (each its own development keys, the production
poll interval unless --poll-interval), each on a fresh schema of the bench database
(PostgreSQL; MHG_BENCH_POSTGRES_URL), and prepares `--decisions` sites whose go-live
request has reached the PC. Then, once with the MSO idle and once while wrk sends
POST /sites to it from `--connections` connections, the Medical Director approves one
go-live after another (a pause between them), and each is timed from the approval's
answer at the PC to the first GET /sites/{id} at the MSO that shows the site approved
(polled every 10 ms). Issue 12's target: p99 within 1 s under the load.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import httpx

from bench import wrk
from bench.http_ratio import load_average
from bench.served import SECRET, Served, free_port, postgres_store, serve
from mhg.auth import Role
from mhg.devkeys import run_environment
from mhg_cli.token_command import (
    development_token,
    ensure_development_keys,
    service_environment,
)
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS

PRO_FORMA = {
    "lines": [
        {
            "service_line": "sports_clearance",
            "monthly_visits": 120,
            "revenue_per_visit": "85.00",
            "variable_cost_per_visit": "22.50",
        }
    ],
    "fixed_monthly_cost": "4200.00",
    "startup_cost": "18000.00",
}
SITE = {"name": "Decision bench site", "kind": "campus", "address": "1 Main St"}
APPROVAL = {
    "effective_date": "2020-01-01",
    "basis": {"kind": "medical_director_act", "reference": "MD-ACT-BENCH"},
}
PREFIX = {"mso-ops": "MHG_MSO_OPS_", "pc-governance": "MHG_PC_GOVERNANCE_"}
WAIT = 30.0  # seconds a go-live request or approval may take to cross before we give up


@dataclass(frozen=True)
class Pair:
    mso: Served
    pc: Served
    admin: dict[str, str]
    director: dict[str, str]


@contextmanager
def both_services(poll_interval: str | None) -> Iterator[Pair]:
    ports = {"mso-ops": free_port(), "pc-governance": free_port()}
    peer = {"mso-ops": "pc-governance", "pc-governance": "mso-ops"}
    ensure_development_keys()  # as `mhg run`: each service gets only its own org's keys
    with ExitStack() as stack:
        urls = {
            "mso-ops": stack.enter_context(postgres_store("mso")),
            "pc-governance": stack.enter_context(postgres_store("pc")),
        }
        served: dict[str, Served] = {}
        for name in ("pc-governance", "mso-ops"):
            own = PREFIX[name]
            base = {
                **os.environ,
                "MHG_AUTH_SECRET": SECRET,
                own + "DATABASE_URL": urls[name],
                own + "PEER_FEED_URL": f"http://127.0.0.1:{ports[peer[name]]}/contracts/v1/feed",
            }
            if poll_interval:
                base[own + "POLL_INTERVAL"] = poll_interval
            env = run_environment(name, service_environment(name, base))
            command = [sys.executable, "-m", "mhg_cli", "serve", name, "--log-level", "warning"]
            served[name] = stack.enter_context(
                serve(name, [*command, "--port"], env, port=ports[name])
            )
        yield Pair(
            served["mso-ops"],
            served["pc-governance"],
            bearer(development_token(Role.MSO_ADMIN, "bench-admin")),
            bearer(development_token(Role.MEDICAL_DIRECTOR, "dr-bench")),
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ok(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.text}")
    return response


def request_go_live(pair: Pair) -> str:
    """A site whose go-live request waits at the PC: the site's id."""
    with httpx.Client(base_url=pair.mso.base, headers=pair.admin, timeout=30) as mso:
        site_id = str(ok(mso.post("/sites", json=SITE)).json()["id"])
        ok(mso.post(f"/sites/{site_id}/readiness"))
        for item in CHECKLIST_ITEMS:  # the go-live checklist, every item met
            evidence = {"met": True, "document_ref": f"DOC-{item}"}
            ok(mso.put(f"/sites/{site_id}/checklist/{item}", json=evidence))
        ok(mso.put(f"/sites/{site_id}/pro-forma", json=PRO_FORMA))
        ok(mso.post(f"/sites/{site_id}/go-live-requests", json={"summary": "ready"}))
    return site_id


def pending_at_pc(pair: Pair, wanted: int) -> dict[str, str]:
    """Site id to authorization id for every pending go-live, once `wanted` are there."""
    deadline = time.monotonic() + WAIT + wanted * 0.2
    with httpx.Client(base_url=pair.pc.base, headers=pair.director, timeout=30) as pc:
        while True:
            found: dict[str, str] = {}
            params: dict[str, str | int] = {"kind": "site_go_live", "status": "pending"}
            page = ok(pc.get("/authorizations", params={**params, "limit": 200})).json()
            found.update({item["site_id"]: item["id"] for item in page["items"]})
            if len(found) >= wanted:
                return found
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(found)} of {wanted} go-live requests reached the PC")
            time.sleep(0.2)


def approve_and_time(pair: Pair, site_id: str, authorization_id: str) -> float:
    """Seconds from the PC's answer to its approval until the MSO shows the site approved."""
    with (
        httpx.Client(base_url=pair.pc.base, headers=pair.director, timeout=30) as pc,
        httpx.Client(base_url=pair.mso.base, headers=pair.admin, timeout=30) as mso,
    ):
        ok(pc.post(f"/authorizations/{authorization_id}/approve", json=APPROVAL))
        decided = time.monotonic()
        while time.monotonic() - decided < WAIT:
            if ok(mso.get(f"/sites/{site_id}")).json()["status"] == "approved":
                return time.monotonic() - decided
            time.sleep(0.01)
    raise RuntimeError(f"site {site_id}'s approval did not reach the MSO in {WAIT:.0f} s")


def timed(pair: Pair, pending: list[tuple[str, str]], pause: float) -> list[float]:
    """Each decision timed, then a pause drawn from 0 to 2 x `pause` seconds, so that the
    decisions do not fall into step with the follower's polls."""
    pauses = random.Random(12)
    seconds = []
    for site_id, authorization_id in pending:
        seconds.append(approve_and_time(pair, site_id, authorization_id))
        time.sleep(pauses.uniform(0, 2 * pause))
    return seconds


def under_load(
    pair: Pair, pending: list[tuple[str, str]], args: argparse.Namespace
) -> tuple[list[float], wrk.Measured]:
    """The decisions timed while wrk loads the MSO with POST /sites (for as long as they take)."""
    seconds_of_load = int(len(pending) * (args.pause + 0.7)) + 5
    load = wrk.Load("POST", ("/sites",), pair.admin, SITE)
    measured: list[wrk.Measured] = []
    loading = threading.Thread(
        target=lambda: measured.append(
            wrk.run(pair.mso.base, load, seconds_of_load, args.connections)
        )
    )
    loading.start()
    time.sleep(2)  # the load under way first
    seconds = timed(pair, pending, args.pause)
    loading.join()
    return seconds, measured[0]


def describe(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return (
        f"| {label} | {len(ordered)} | {statistics.median(ordered) * 1000:,.0f} |"
        f" {p90 * 1000:,.0f} | {p99 * 1000:,.0f} | {ordered[-1] * 1000:,.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--decisions", type=int, default=100, help="timed in each phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pause", type=float, default=0.3, help="mean seconds between decisions")
    parser.add_argument("--poll-interval", help="the services' feed poll (default theirs)")
    args = parser.parse_args()
    try:
        wrk.require_wrk()
    except wrk.WrkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"load average at the start: {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # `mhg run`'s development keys go to ./var, here
        with both_services(args.poll_interval) as pair:
            wanted = 2 * args.decisions
            print(f"preparing {wanted} sites with a go-live request at the PC ...", flush=True)
            with ThreadPoolExecutor(max_workers=8) as pool:
                sites = list(pool.map(lambda _: request_go_live(pair), range(wanted)))
            found = pending_at_pc(pair, wanted)
            pending = [(site, found[site]) for site in sites]
            print(f"timing {args.decisions} decisions with the MSO idle ...", flush=True)
            idle = timed(pair, pending[: args.decisions], args.pause)
            print(f"timing {args.decisions} decisions under POST /sites load ...", flush=True)
            loaded, load = under_load(pair, pending[args.decisions :], args)
    print(f"load average at the end: {load_average()}")
    print()
    print("| MSO | decisions | median ms | p90 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(describe("idle", idle))
    print(describe(f"serving POST /sites at {load.rate:,.0f} req/s", loaded))
    return 0


if __name__ == "__main__":
    sys.exit(main())
