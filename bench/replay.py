"""How fast `mhg audit replay` rebuilds every read model of MSO Operations from zero.

    PYTHONPATH=.:src .venv/bin/python -m bench.replay [--events 200000] [--baseline] [--profile]

Two logs are generated with the real domain objects and saved through the library
(`Application.events.put`, the library's own SQLite layout, a thousand events per
save), and each is replayed exactly as `mhg audit replay --service mso-ops` does it:
all of MSO Operations' read models rebuilt, and the log copied, into a fresh directory.

  access-log   reads of patient data (`mhg.access`): one plain insert per event, what
               the replay engine itself costs (read, decode, bulk insert, copy)
  operations   per site a proposal, a service line proposed, requested and approved,
               then bookings, 10% cancelled, 60% checked in, 50% fulfilled: every
               event read by several projections (appointments, KPI facts, ...)

Figures: events per second of wall time and of this process's CPU time (on a shared
machine the CPU figure is the one that compares runs), and seconds per million events.
`--baseline` also times the live runner's `rebuild` (the path `mhg rebuild` takes)
over the operations log, for a ratio inside one run; `--profile` prints where the
operations replay spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mhg.access import new_read
from mhg.eventstore import StoreLocation
from mhg.meta import Meta
from mhg.projection import ProjectionRunner
from mhg.readstore import ReadStore
from mhg.replay import Replay, ReplayResult
from services.mso_ops.app import PARTS
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site

META = Meta("bench", "mso_admin", "mso", "bench-request", "bench-conversation", "bench-request")
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
PER_SITE = 500


def access_log(location: StoreLocation, total: int) -> int:
    """Write `total` reads of patient data in the library's layout."""
    app = MsoOpsApplication(location)
    try:
        for start in range(0, total, 1000):
            reads = [
                new_read(
                    record_kind="appointment",
                    record_id=uuid.uuid4(),
                    patient="9f0c" * 8,
                    purpose="operations",
                    meta=META,
                )
                for _ in range(min(1000, total - start))
            ]
            app.events.put([e for read in reads for e in read.collect_events()])
    finally:
        app.close()
    return total


def operations(location: StoreLocation, total: int) -> int:
    """Write about `total` events of running sites in the library's layout; returns how many."""
    app = MsoOpsApplication(location)
    written, pending = 0, []
    start = datetime(2027, 1, 11, 8, tzinfo=UTC)
    try:
        while written < total:
            site = Site(
                id=uuid.uuid4(), name="Bench site", kind="clinic", address="1 Main", meta=META
            )
            line = ServiceLine(
                site_id=site.id, site_name=site.name, code="sports_clearance", meta=META
            )
            request_id = line.request_authorization({"summary": "ready", "checklist": []}, META)
            line.record_approval(
                request_id=request_id,
                authorization_id=uuid.uuid4(),
                decision_id=uuid.uuid4(),
                effective_date=date(2027, 1, 1),
                conditions=[],
                protocol_refs=[],
                meta=META,
            )
            authorization = line.authorization_for(start.date())
            pending += [*site.collect_events(), *line.collect_events()]
            for n in range(PER_SITE):
                visit = Appointment.book(
                    appointment_id=uuid.uuid4(),
                    site_id=site.id,
                    service_line=line.code,
                    service_line_id=line.id,
                    authorization=authorization,
                    start=start + timedelta(minutes=20 * n),
                    minutes=20,
                    patient=PATIENT,
                    requested_by="Eastside HS athletics",
                    meta=META,
                )
                _visit(visit, n, start + timedelta(minutes=20 * n))
                pending += visit.collect_events()
                if len(pending) >= 1000:
                    app.events.put(pending)
                    written, pending = written + len(pending), []
        if pending:
            app.events.put(pending)
            written += len(pending)
    finally:
        app.close()
    return written


def _visit(visit: Appointment, n: int, at: datetime) -> None:
    if n % 10 == 0:
        visit.cancel("moved away", META)
    elif n % 10 < 7:
        visit.check_in(at, META)
        if n % 10 < 6:
            visit.record_outcome("fulfilled", at + timedelta(minutes=20), META)


def replay(source: StoreLocation, out: Path, *, profile: bool = False) -> ReplayResult:
    job = Replay(PARTS, "mso_ops", source, out)
    if not profile:
        return job.run()
    profiler = cProfile.Profile()
    result: ReplayResult = profiler.runcall(job.run)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return result


def baseline(source: StoreLocation) -> float:
    """The live runner's rebuild (`mhg rebuild`) over the same log: events per second."""
    app: Any = PARTS.application(source)
    store = ReadStore(source, PARTS.metadata())
    store.create_tables()
    try:
        runner = ProjectionRunner(app, store, PARTS.projections(store.metadata))
        started = time.perf_counter()
        runner.rebuild()
        return float(app.head_position()) / (time.perf_counter() - started)
    finally:
        store.dispose()
        app.close()


def report(name: str, result: ReplayResult) -> None:
    print(
        f"{name:<11} {result.replayed:>9,} events {result.seconds:>7.2f} s wall "
        f"{result.events_per_second:>8,.0f}/s   {result.cpu_seconds:>7.2f} s CPU "
        f"{result.events_per_cpu_second:>8,.0f}/s   "
        f"{1e6 / result.events_per_cpu_second:>6.1f} CPU-s per million"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--baseline", action="store_true", help="also time `mhg rebuild`")
    parser.add_argument("--profile", action="store_true", help="cProfile the replay")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mhg-bench-replay-") as tmp:
        logs = {}
        for name, generate in (("access-log", access_log), ("operations", operations)):
            source = StoreLocation.parse(f"sqlite:///{tmp}/{name}/mso_ops.sqlite")
            started = time.perf_counter()
            written = generate(source, args.events)
            print(f"{name}: {written:,} events written in {time.perf_counter() - started:.1f} s")
            logs[name] = source
        for name, source in logs.items():
            out = Path(tmp) / f"{name}-replay"
            report(name, replay(source, out, profile=args.profile and name == "operations"))
        if args.baseline:
            rate = baseline(logs["operations"])
            print(f"mhg rebuild over the operations log (live runner): {rate:,.0f} events/s wall")


if __name__ == "__main__":
    main()
