"""A replay (`mhg audit replay`: what projections remember kept for the whole replay,
writes queued in bulk) and the live runner (`mhg rebuild`, here one event a transaction:
every handler reads back what it needs) make the same rows from a log of sites, slots,
shifts and the PC's clinical facts.

The shifts are judged on every kind of shortfall, and judged again when the facts
under them change (supervision rules, a clinician's lapse or loss of eligibility); the
slots' downtime is counted from windows ended, recorded open and ended later, and
withdrawn; bookings fill slots so that the third next available moves.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bench.replay import META, resourced_site
from contracts.v1.supervision import PublishedRules
from mhg.eventstore import StoreLocation
from mhg.projection_runner import ProjectionRunner
from mhg.readstore import ReadStore, ensure_schema
from mhg.replay import Replay
from services.mso_ops.app import PARTS
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.domain.availability import Occurrence
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.clinical_standing import (
    ClinicianStanding,
    Eligibility,
    SupervisionRules,
    supervision_assignment,
)
from services.mso_ops.domain.facility import DowntimeWindow
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.slot import Slot
from services.mso_ops.domain.staff import StaffMember
from tests.conftest import StoreUrl
from tests.integration.test_audit_replay import replayed, tables

pytestmark = pytest.mark.storage

DAY = date(2027, 2, 1)
START = datetime(2027, 2, 1, 8, tzinfo=UTC)
JAN = datetime(2027, 1, 1, tzinfo=UTC)


def standing(role: str) -> ClinicianStanding:
    credentialed = Eligibility(
        name=f"Dr {role}", role=role, eligible=True, reason="credentialed", effective_at=JAN
    )
    return ClinicianStanding.first_heard(
        clinician_id=uuid.uuid4(), eligibility=credentialed, meta=META
    )


def restate(clinician: ClinicianStanding, on: datetime, **changes: Any) -> None:
    """The PC's word on a clinician again, as it stood but for `changes`."""
    kept = ("name", "role", "eligible", "reason", "lapses_on")
    as_was = {name: getattr(clinician, name) for name in kept}
    said = Eligibility(**{**as_was, **changes}, effective_at=on)
    clinician.record_change(eligibility=said, meta=META)


class Shifts:
    """Shifts of one site, one a day, staffed as asked."""

    def __init__(self, site_id: uuid.UUID) -> None:
        self.site_id = site_id
        self.made = 0

    def staffed(self, *staff: StaffMember, template_id: uuid.UUID | None = None) -> Shift:
        start = START + timedelta(days=self.made)
        self.made += 1
        shift = Shift.schedule(
            shift_id=uuid.uuid4(),
            site_id=self.site_id,
            start=start,
            end=start + timedelta(hours=9),
            needs_clinical_coverage=True,
            label=f"shift {self.made}",
            meta=META,
            template_id=template_id,
        )
        for member in staff:
            shift.assign(member, META)
        return shift


def clinical_facts(site_id: uuid.UUID) -> list[Any]:
    """Shifts judged, then judged again as the supervision rules and standings change."""
    physician, np, pa = standing("physician"), standing("np"), standing("pa")
    unpublished = standing("physician")  # staffed, but the PC never said a word of them
    staff = {
        s.clinician_id: StaffMember.clinician(standing=s, home_site_id=site_id, meta=META)
        for s in (physician, np, pa, unpublished)
    }
    doctor, nurse, assistant, stranger = staff.values()
    shifts = Shifts(site_id)
    first = [
        shifts.staffed(nurse),  # an APP, no rules yet
        shifts.staffed(doctor, nurse, assistant),  # two APPs, one physician
        shifts.staffed(doctor),
        shifts.staffed(stranger, nurse),
        shifts.staffed(doctor, template_id=uuid.uuid4()),  # a template the MSO never got
        shifts.staffed(),
    ]
    first[2].release(doctor.id, "sick", META)  # no clinician left
    first[5].cancel("closed", META)
    events = [e for a in (physician, np, pa, *staff.values(), *first) for e in a.collect_events()]

    def pairing(app: ClinicianStanding) -> dict[str, Any]:
        """The APP supervised by the physician from DAY on."""
        return supervision_assignment(
            uuid.uuid4(), app.clinician_id, physician.clinician_id, DAY, None
        )

    rules = SupervisionRules.first_received(
        rules=PublishedRules(1, 10, [pairing(np), pairing(pa)], datetime(2027, 1, 20, tzinfo=UTC)),
        meta=META,
    )
    events += rules.collect_events()
    later = [shifts.staffed(doctor, nurse), shifts.staffed(assistant, doctor)]
    later[0].assign(stranger, META)
    events += [e for s in later for e in s.collect_events()]
    # the physician's credentials lapse on the fourth shift's day; the NP is suspended
    restate(physician, datetime(2027, 1, 25, tzinfo=UTC), lapses_on=DAY + timedelta(days=3))
    restate(np, datetime(2027, 1, 26, tzinfo=UTC), eligible=False, reason="suspended")
    events += [*physician.collect_events(), *np.collect_events()]
    last = shifts.staffed(nurse, doctor)
    last.release(nurse.id, "moved", META)
    rules.replace(
        rules=PublishedRules(2, 10, [pairing(pa)], datetime(2027, 1, 28, tzinfo=UTC)), meta=META
    )
    return [*events, *last.collect_events(), *rules.collect_events()]


def downtime(site_id: uuid.UUID) -> list[Any]:
    """Slots of two lines, downtime over some of them, bookings filling them."""
    events: list[Any] = []
    slots = []
    at = datetime(2027, 1, 20, 9, tzinfo=UTC)
    for n in range(24):
        start = START + timedelta(minutes=30 * n)
        slot = opened_slot(site_id, "sports_clearance" if n % 4 else "physicals", start, 1 + n % 2)
        slots.append(slot)
        if n % 3 == 1:
            slot.take(appointment_id=uuid.uuid4(), hold_id=None, holder="web", at=at, meta=META)
        if n == 6:
            window = DowntimeWindow.record(
                window_id=uuid.uuid4(),
                site_id=site_id,
                start=START + timedelta(minutes=20),
                end=START + timedelta(minutes=100),
                cause="power",
                incident_id=None,
                meta=META,
            )
            opened = DowntimeWindow.record(
                window_id=uuid.uuid4(),
                site_id=site_id,
                start=START + timedelta(minutes=150),
                end=None,
                cause="network",
                incident_id=None,
                meta=META,
            )
            events += [*window.collect_events(), *opened.collect_events()]
        if n == 12:
            opened.close(end=START + timedelta(minutes=400), meta=META)
            window.withdraw(reason="recorded twice", meta=META)
            events += [*opened.collect_events(), *window.collect_events()]
        events += slot.collect_events()
    slots[2].close(closure_id=uuid.uuid4(), reason="holiday", meta=META)
    slots[5].take(appointment_id=uuid.uuid4(), hold_id=None, holder="web", at=at, meta=META)
    events += [*slots[2].collect_events(), *slots[5].collect_events()]
    # a line of 40 slots, then filled in order: the free places lie beyond those read first
    start = START + timedelta(days=1)
    filled = [
        opened_slot(site_id, "physio", start + timedelta(minutes=30 * n), 1) for n in range(40)
    ]
    events += [e for slot in filled for e in slot.collect_events()]
    for slot in filled:
        slot.take(appointment_id=uuid.uuid4(), hold_id=None, holder="web", at=at, meta=META)
    return [*events, *(e for slot in filled for e in slot.collect_events())]


def zoned(site_id: uuid.UUID) -> list[Any]:
    """The site, in Honolulu: its slots from 22:00 on 31 January there (08:00 UTC on 1
    February) count in its January until midnight there, then in its February."""
    site = Site(id=site_id, name="Waikiki campus", kind="campus", address="1 Main St", meta=META)
    site.set_time_zone("Pacific/Honolulu", META)
    return list(site.collect_events())


def opened_slot(site_id: uuid.UUID, service_line: str, start: datetime, capacity: int) -> Slot:
    occurrence = Occurrence(start.date(), start, 30, capacity)
    return Slot.open(
        schedule_id=uuid.uuid4(),
        site_id=site_id,
        service_line=service_line,
        occurrence=occurrence,
        meta=META,
    )


def receivables(site_id: uuid.UUID) -> list[Any]:
    """Claims paid or denied, one submitted in a month before those recorded already."""
    events: list[Any] = []
    today = date(2027, 6, 1)
    for n, (submitted, paid) in enumerate(
        [
            (date(2027, 3, 5), date(2027, 4, 2)),
            (date(2027, 1, 10), None),
            (date(2027, 4, 20), date(2027, 5, 3)),
        ]
    ):
        claim = Claim.submit(
            site_id=site_id,
            service_line="sports_clearance",
            payer="Acme",
            claim_number=f"C-{n}-{uuid.uuid4().hex[:8]}",
            billed_amount=Decimal("120.50") + n,
            service_date=submitted,
            submitted_on=submitted,
            today=today,
            meta=META,
        )
        if paid is None:
            claim.deny(on=date(2027, 2, 1), reason_code="CO-16", today=today, meta=META)
        else:
            claim.record_payment(on=paid, amount=claim.billed_amount, today=today, meta=META)
        events += claim.collect_events()
    return events


def rows_of_the_live_runner(location: StoreLocation, batch_size: int) -> dict[str, Any]:
    app: Any = PARTS.application(location)
    store = ReadStore(location, PARTS.metadata())
    store.create_tables()
    try:
        ProjectionRunner(app, store, PARTS.projections(store.metadata), batch_size).rebuild()
        return tables(store.metadata, store.reader)
    finally:
        store.dispose()
        app.close()


def test_a_replay_and_the_live_runner_make_the_same_staffing_and_slot_rows(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    location = StoreLocation.parse(store_url("mso_ops"))
    ensure_schema(location)
    # a site of the bench's log (readiness, slots, shifts), each pattern of its slots and
    # shifts twice, its slots over two days: the live runner commits once an event
    bench_site = resourced_site(slots=60, shifts=40)
    site_id = uuid.uuid4()
    app = MsoOpsApplication(location)
    try:
        app.events.put(bench_site)
        app.events.put(
            [
                *zoned(site_id),
                *clinical_facts(site_id),
                *downtime(site_id),
                *receivables(site_id),
            ]
        )
    finally:
        app.close()

    live = rows_of_the_live_runner(location, batch_size=1)
    batched = rows_of_the_live_runner(location, batch_size=50)  # what it keeps, for 50 events
    Replay(PARTS, "mso_ops", location, tmp_path / "replay", batch=40).run()
    rebuilt = replayed(tmp_path / "replay", "mso_ops", PARTS.metadata())

    assert rebuilt.keys() == batched.keys() == live.keys()
    for table, rows in live.items():
        if table.startswith("projection_"):  # each records how it was made
            continue
        assert rebuilt[table] == rows, f"{table} differs between the replay and the live runner"
        assert batched[table] == rows, f"{table} differs between batches of 50 events and of 1"
    reasons = {code for gap in live["mso_coverage_gaps"] for code in gap["reason_codes"].split()}
    assert {
        "no_eligible_clinician",
        "app_without_supervisor",
        "clinician_not_eligible",
        "template_not_in_force",
    } <= reasons, reasons
    slots = live["mso_kpi_slots"]
    months = {(c["month"], c["fact"]) for c in live["mso_kpi_counts"] if c["site_id"] == site_id}
    assert {
        (date(2027, 1, 1), "scheduled_open_minutes"),
        (date(2027, 2, 1), "scheduled_open_minutes"),
    } <= months
    assert any(s["down_minutes"] for s in slots), "downtime was counted"
    assert not all(s["open"] for s in slots), "a slot was closed"
    assert live["mso_kpi_durations"], "bookings measured the third next available"
    assert len(live["mso_kpi_levels"]) > 3, "receivables and readiness recorded levels"
