"""How fast the audit chain seals and verifies, and what sealing costs the command path.

    .venv/bin/python bench/audit_chain.py [--records N] [--seconds S]

1. A synthetic SQLite event log of N records (the library's table layout, realistic
   ~400-byte states) is sealed, then verified: records/s and seconds per million.
2. POST /sites through one uvicorn worker on SQLite, with the sealer on and off,
   driven by wrk (apt-get install wrk): the ratio is what sealing costs commands.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.command_path import SECRET, free_port, wrk_rate
from mhg.audit.ledger import Ledger
from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from mhg.eventstore import StoreLocation

TOPIC = "services.mso_ops.domain.site:Site.Proposed"


def synthetic_log(path: Path, records: int) -> None:
    """A log in the library's SQLite layout, written in bulk."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
        "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )
    state = (
        b'{"name":"Eastside High School","kind":"campus","address":"1 Main St",' + b"x" * 330
    ) + b"}"
    batch = 50_000
    for start in range(0, records, batch):
        rows = [(uuid.uuid4().hex, 1, TOPIC, state) for _ in range(min(batch, records - start))]
        conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
        conn.commit()
    conn.close()


def chain_rates(records: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.sqlite"
        print(f"writing a synthetic log of {records:,} records ...", flush=True)
        synthetic_log(path, records)
        ledger = Ledger(StoreLocation.parse(f"sqlite:///{path}"), "bench")
        ledger.create()
        started = time.perf_counter()
        sealed = seal_pending(ledger, batch=20_000)
        seal_rate = sealed / (time.perf_counter() - started)
        print(f"sealed {sealed:,} records", flush=True)
        started = time.perf_counter()
        verdict = verify(ledger)
        verify_rate = verdict.records / (time.perf_counter() - started)
        if not verdict.intact or verdict.sealed != records:
            raise RuntimeError(f"the benchmark log did not verify: {verdict}")
        ledger.dispose()
    return seal_rate, verify_rate


def command_rate_with_sealing(seal: bool, seconds: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "MHG_AUTH_SECRET": SECRET,
            "MHG_MSO_OPS_DATABASE_URL": f"sqlite:///{tmp}/mso.sqlite",
            "MHG_MSO_OPS_FOLLOW_PEER": "false",
            "MHG_MSO_OPS_SEAL": str(seal).lower(),
        }
        command = [sys.executable, "-m", "mhg.cli", "serve", "mso-ops", "--port", str(port)]
        server = subprocess.Popen([*command, "--log-level", "warning"], env=env)
        try:
            import httpx

            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            return wrk_rate(f"http://127.0.0.1:{port}", seconds, 16)
        finally:
            server.terminate()
            server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    seal_rate, verify_rate = chain_rates(args.records)
    print()
    print(f"| SQLite, {args.records:,} records | records/s | seconds per million |")
    print("|---|---:|---:|")
    print(f"| seal | {seal_rate:,.0f} | {1e6 / seal_rate:.1f} |")
    print(f"| verify | {verify_rate:,.0f} | {1e6 / verify_rate:.1f} |")

    if not shutil.which("wrk"):
        print("\nwrk is not installed: skipping the command-path comparison (apt-get install wrk)")
        return 0
    off, p99_off = command_rate_with_sealing(False, args.seconds)
    on, p99_on = command_rate_with_sealing(True, args.seconds)
    print()
    print("| POST /sites, SQLite, 16 connections | req/s | p99 |")
    print("|---|---:|---:|")
    print(f"| sealer off | {off:,.0f} | {p99_off} |")
    print(f"| sealer on | {on:,.0f} ({on / off:.2f} of off) | {p99_on} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
