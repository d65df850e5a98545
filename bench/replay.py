"""How fast `mhg audit replay` rebuilds every read model of MSO Operations from zero.

    PYTHONPATH=.:src .venv/bin/python -m bench.replay [--events 200000] [--logs a,b]
        [--baseline] [--profile] [--compare REF [--rounds 3]]

Logs are generated with the real domain objects and saved through the library
(`Application.events.put`, the library's own SQLite layout, a thousand events per
save), and each is replayed exactly as `mhg audit replay --service mso-ops` does it:
all of MSO Operations' read models rebuilt, and the log copied, into a fresh directory.

  access-log   reads of patient data (`mhg.access`): one plain insert per event, what
               the replay engine itself costs (read, decode, bulk insert, copy)
  operations   per site a proposal, a service line proposed, requested and approved,
               then bookings, 10% cancelled, 60% checked in, 50% fulfilled: every
               event read by several projections (appointments, KPI facts, ...)
  resources    per site its readiness (13 events: evidence, pro forma, PC approval,
               opening), two clinicians and an employee, a schedule of 150 slots
               (held, let go, taken, released) and 60 shifts staffed and restaffed:
               the sites, scheduling, staffing/coverage and slot KPI projections

Figures: events per second of wall time and of this process's CPU time (on a shared
machine the CPU figure is the one that compares runs), and seconds per million events.
`--baseline` also times the live runner's `rebuild` (the path `mhg rebuild` takes)
over the operations and resources logs; `--profile` prints where the replays spend
their time. `--compare REF` replays the same logs with REF's code (a `git archive` of
it) and this tree's, in turns, each in a fresh process, and prints the medians and
their ratio: before and after in one run, on a machine whose load drifts.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mhg.access import new_read
from mhg.eventstore import StoreLocation
from mhg.meta import Meta
from mhg.projection_runner import ProjectionRunner
from mhg.readstore import ReadStore
from mhg.replay import Replay, ReplayResult
from services.mso_ops.app import PARTS
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.availability import Occurrence
from services.mso_ops.domain.clinical_standing import ClinicianStanding, Eligibility
from services.mso_ops.domain.pc_answer import PcApproval
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS
from services.mso_ops.domain.slot import Slot
from services.mso_ops.domain.staff import StaffMember

META = Meta("bench", "mso_admin", "mso", "bench-request", "bench-conversation", "bench-request")
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
PER_SITE = 500
SLOTS_PER_SITE, SHIFTS_PER_SITE = 150, 60
PRO_FORMA = ProForma.of(
    lines=[
        {
            "service_line": "sports_clearance",
            "monthly_visits": 120,
            "revenue_per_visit": "85.00",
            "variable_cost_per_visit": "22.50",
        }
    ],
    fixed_monthly_cost="4200.00",
    startup_cost="18000.00",
)


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
    return _save(location, total, _running_site)


def _running_site() -> list[Any]:
    """A site with a line the PC authorized and its bookings, cancelled, arrived, fulfilled."""
    start = datetime(2027, 1, 11, 8, tzinfo=UTC)
    site = Site(id=uuid.uuid4(), name="Bench site", kind="clinic", address="1 Main", meta=META)
    line = ServiceLine(site_id=site.id, site_name=site.name, code="sports_clearance", meta=META)
    request_id = line.request_authorization({"summary": "ready", "checklist": []}, META)
    approval = PcApproval(uuid.uuid4(), uuid.uuid4(), date(2027, 1, 1), [])
    line.record_approval(request_id, approval, protocol_refs=[], meta=META)
    authorization = line.authorization_for(start.date())
    events = [*site.collect_events(), *line.collect_events()]
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
        events += visit.collect_events()
    return events


def resources(location: StoreLocation, total: int) -> int:
    """Write about `total` events of sites readied and opened, their slots and shifts."""
    return _save(location, total, resourced_site)


def resourced_site(slots: int = SLOTS_PER_SITE, shifts: int = SHIFTS_PER_SITE) -> list[Any]:
    """A site opened, its staff, `slots` slots and `shifts` shifts (the bench's: 514 events).

    The slots repeat their pattern every 30, the shifts every 20: a test that needs each
    kind of row, not the bench's volume, asks for fewer."""
    day = date(2027, 1, 11)
    site = _opened_site()
    staff = _staff(site.id)
    events = [*site.collect_events(), *(e for a in staff for e in a.collect_events())]
    events += _slots(site.id, day, slots)
    staffed = [s for s in staff if isinstance(s, StaffMember)]
    return events + _shifts(site.id, day, staffed, shifts)


def _save(location: StoreLocation, total: int, site: Callable[[], list[Any]]) -> int:
    """Save the events of sites made by `site`, a thousand or more at a time, until `total`."""
    app = MsoOpsApplication(location)
    written, pending = 0, []
    try:
        while written < total:
            pending += site()
            if len(pending) >= 1000:
                app.events.put(pending)
                written, pending = written + len(pending), []
        if pending:
            app.events.put(pending)
            written += len(pending)
    finally:
        app.close()
    return written


def _opened_site() -> Site:
    """A site proposed, readied item by item, approved by the PC and opened: 13 events."""
    site = Site(id=uuid.uuid4(), name="Bench site", kind="clinic", address="1 Main", meta=META)
    site.start_readiness(META)
    for item in CHECKLIST_ITEMS:
        site.record_evidence(item=item, met=True, document_ref=f"DOC-{item}", note=None, meta=META)
    site.set_pro_forma(PRO_FORMA, META)
    request_id = site.request_go_live(summary="ready", meta=META)
    site.record_approval(
        request_id, PcApproval(uuid.uuid4(), uuid.uuid4(), date(2027, 1, 1), []), META
    )
    site.go_live(on=date(2027, 1, 4), meta=META)
    return site


def _staff(site_id: uuid.UUID) -> list[Any]:
    """Two clinicians the PC made eligible, their staff records, and one employee."""
    found: list[Any] = []
    for role in ("physician", "np"):
        eligibility = Eligibility(
            name=f"Dr {role}",
            role=role,
            eligible=True,
            reason="credentialed",
            effective_at=datetime(2027, 1, 1, tzinfo=UTC),
        )
        standing = ClinicianStanding.first_heard(
            clinician_id=uuid.uuid4(), eligibility=eligibility, meta=META
        )
        found += [
            standing,
            StaffMember.clinician(standing=standing, home_site_id=site_id, meta=META),
        ]
    employee = StaffMember.employee(
        staff_id=uuid.uuid4(),
        name="Sam Front",
        job_title="front desk",
        home_site_id=site_id,
        meta=META,
    )
    return [*found, employee]


def _slots(site_id: uuid.UUID, day: date, count: int) -> list[Any]:
    """A schedule published for a week; of its slots a third held (half of those taken
    with the hold, half let go), a third taken without one, a tenth of takes released."""
    schedule = Schedule(
        id=uuid.uuid4(),
        site_id=site_id,
        service_line="sports_clearance",
        name="Weekdays",
        template_id=None,
        applied_template=None,
        template_label="Bench template",
        clinicians=1,
        timezone="UTC",
        slot_minutes=20,
        capacity=2,
        starts_on=day,
        ends_on=None,
        weekly=[],
        meta=META,
    )
    starts = [
        datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=20 * n)
        for n in range(count)
    ]
    schedule._published(first=day, through=day + timedelta(days=6), starts=starts, meta=META)
    events = list(schedule.collect_events())
    at = datetime(2027, 1, 4, 9, tzinfo=UTC)
    for n, start in enumerate(starts):
        slot = Slot.open(
            schedule_id=schedule.id,
            site_id=site_id,
            service_line="sports_clearance",
            occurrence=Occurrence(start.date(), start, 20, 2),
            meta=META,
        )
        hold_id = uuid.uuid4() if n % 3 == 0 else None
        if hold_id is not None:
            slot.hold(hold_id=hold_id, holder="web", seconds=600, at=at, meta=META)
            if n % 2:
                slot.release_hold(hold_id=hold_id, holder="web", at=at, meta=META)
                hold_id = None
        if n % 3 != 2 and (n % 3 or hold_id is not None):
            visit = uuid.uuid4()
            slot.take(appointment_id=visit, hold_id=hold_id, holder="web", at=at, meta=META)
            if n % 10 == 1:
                slot.release(appointment_id=visit, reason="cancelled", meta=META)
        events += slot.collect_events()
    return events


def _shifts(site_id: uuid.UUID, day: date, staff: list[StaffMember], count: int) -> list[Any]:
    """Shifts staffed by a clinician and the employee; a tenth lose one, a twentieth cancelled."""
    events: list[Any] = []
    for n in range(count):
        start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(days=n)
        shift = Shift.schedule(
            shift_id=uuid.uuid4(),
            site_id=site_id,
            start=start,
            end=start + timedelta(hours=8),
            needs_clinical_coverage=True,
            label=None,
            meta=META,
        )
        clinician, employee = staff[n % 2], staff[2]
        shift.assign(clinician, META)
        shift.assign(employee, META)
        if n % 10 == 3:
            shift.release(employee.id, "sick", META)
        if n % 20 == 7:
            shift.cancel("site closed that day", META)
        events += shift.collect_events()
    return events


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


LOGS = {"access-log": access_log, "operations": operations, "resources": resources}

# Run in a child process from a tree of its own (this one, or an export of `--compare`):
# only the API every version has, so the same log is replayed by the code of each.
CHILD = """
import json, sys, time
from pathlib import Path
from mhg.eventstore import StoreLocation
from mhg.replay import Replay
from services.mso_ops import projections
from services.mso_ops.app import PARTS
result = Replay(PARTS, "mso_ops", StoreLocation.parse(sys.argv[1]), Path(sys.argv[2])).run()
print(json.dumps({"events": result.scanned, "wall": result.seconds, "cpu": result.cpu_seconds,
                  "code": projections.__file__}))
"""


def compare(ref: str, logs: dict[str, StoreLocation], tmp: Path, rounds: int) -> None:
    """Replay each log with `ref`'s code and this tree's, in turns, in fresh processes."""
    before = tmp / "before"
    before.mkdir()
    archive = subprocess.run(["git", "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
    trees = {ref: before, "this tree": Path.cwd()}
    rates: dict[tuple[str, str], list[float]] = {}
    for n in range(rounds):
        for name, source in logs.items():
            for label, tree in trees.items():
                out = tmp / f"{name}-{label}-{n}".replace(" ", "-")
                child = subprocess.run(
                    [sys.executable, "-c", CHILD, str(source.url), str(out)],
                    cwd=tree,
                    env={**os.environ, "PYTHONPATH": f"{tree}:{tree}/src"},
                    check=True,
                    capture_output=True,
                    text=True,
                )
                found = json.loads(child.stdout)
                if not found["code"].startswith(str(tree)):
                    raise SystemExit(f"{label} ran {found['code']}, not its own tree's code")
                rates.setdefault((name, label), []).append(found["events"] / found["wall"])
                shutil.rmtree(out)
    print(f"\n{rounds} rounds, each log replayed by {ref} then this tree, in turns (events/s)")
    print(f"| log | {ref} (median) | this tree (median) | ratio |")
    print("|---|---:|---:|---:|")
    for name in logs:
        old, new = (statistics.median(rates[name, label]) for label in trees)
        print(f"| {name} | {old:,.0f} | {new:,.0f} | {new / old:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--logs", default=",".join(LOGS), help="which logs, comma-separated")
    parser.add_argument("--baseline", action="store_true", help="also time `mhg rebuild`")
    parser.add_argument("--profile", action="store_true", help="cProfile the replays")
    parser.add_argument("--compare", metavar="REF", help="replay with REF's code too, in turns")
    parser.add_argument("--rounds", type=int, default=3, help="turns for --compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mhg-bench-replay-") as tmp:
        logs = {}
        for name in args.logs.split(","):
            source = StoreLocation.parse(f"sqlite:///{tmp}/{name}/mso_ops.sqlite")
            started = time.perf_counter()
            written = LOGS[name](source, args.events)
            print(f"{name}: {written:,} events written in {time.perf_counter() - started:.1f} s")
            logs[name] = source
        if args.compare:
            compare(args.compare, logs, Path(tmp), args.rounds)
            return
        for name, source in logs.items():
            out = Path(tmp) / f"{name}-replay"
            report(name, replay(source, out, profile=args.profile and name != "access-log"))
        if args.baseline:
            for name in ("operations", "resources"):
                if name in logs:
                    rate = baseline(logs[name])
                    print(f"mhg rebuild over the {name} log (live runner): {rate:,.0f} events/s")


if __name__ == "__main__":
    main()
