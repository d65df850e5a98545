"""How fast the audit chain seals and verifies, and what sealing costs the command path.

    .venv/bin/python -m bench.audit_chain [--records N] [--rounds R] [--seconds S]

1. A synthetic SQLite event log of N records (the library's table layout, realistic
   ~400-byte states) is sealed, then verified: records/s and seconds per million.
2. POST /sites through one uvicorn worker on SQLite, with the sealer off and on,
   alternating for R rounds (wrk if installed, else a Python client): the ratio of
   the medians is what sealing costs commands.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.command_path import http_rate
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


def command_rates(rounds: int, count: int, seconds: int) -> dict[bool, list[float]]:
    """POST /sites with the sealer off and on, alternating, a fresh store each time."""
    rates: dict[bool, list[float]] = {False: [], True: []}
    for round_ in range(rounds):
        for seal in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                rate, driver = http_rate(
                    f"sqlite:///{tmp}/mso.sqlite",
                    count,
                    16,
                    seconds,
                    settings={"MHG_MSO_OPS_SEAL": str(seal).lower()},
                )
            rates[seal].append(rate)
            print(
                f"round {round_ + 1}: sealer {'on' if seal else 'off'}: {rate:,.0f} req/s ({driver})"
            )
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--count", type=int, default=3000, help="requests per run without wrk")
    parser.add_argument("--rounds", type=int, default=3, help="0: seal and verify only")
    args = parser.parse_args()

    seal_rate, verify_rate = chain_rates(args.records)
    print()
    print(f"| SQLite, {args.records:,} records | records/s | seconds per million |")
    print("|---|---:|---:|")
    print(f"| seal | {seal_rate:,.0f} | {1e6 / seal_rate:.1f} |")
    print(f"| verify | {verify_rate:,.0f} | {1e6 / verify_rate:.1f} |")
    if args.rounds == 0:  # the chain's rates alone, without the HTTP part
        return 0

    rates = command_rates(args.rounds, args.count, args.seconds)
    off, on = statistics.median(rates[False]), statistics.median(rates[True])
    print()
    print(f"| POST /sites, SQLite, 16 connections, median of {args.rounds} | req/s |")
    print("|---|---:|")
    print(f"| sealer off | {off:,.0f} |")
    print(f"| sealer on | {on:,.0f} ({on / off:.2f} of off) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
