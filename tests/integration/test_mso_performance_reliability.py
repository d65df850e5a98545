"""Site reliability, third next available (slots, bookings, downtime) and days in A/R (claims).

Each against values computed by hand.

The aggregates are driven through their own domain methods and saved in the service's
log in an order that is not the order of their dates, so the KPI projection must place
each fact by the date it carries; a rebuild from zero must give the same facts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from mhg.meta import Meta
from services.mso_ops.domain.availability import Occurrence
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.facility import DowntimeWindow
from services.mso_ops.domain.performance_report import days_in, month_after
from services.mso_ops.domain.slot import Slot
from tests.integration.conftest import ADMIN
from tests.integration.mso_performance_helpers import (
    at,
    authorized_site,
    kpi,
    months_ago,
    read_models,
)
from tests.integration.services import (
    Pair,
)

NOW = datetime.now().astimezone()
LINE = "sports_clearance"
OTHER = "school_physical"
FACT_TABLES = ("mso_kpi_slots", "mso_kpi_downtime", "mso_kpi_counts", "mso_kpi_levels")


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def save(pair: Pair, *aggregates: Aggregate) -> None:
    pair.mso_runtime.application.record(*aggregates)


def report(pair: Pair, month: date) -> dict[str, Any]:
    closed = pair.mso.post(f"/performance-reports/{month:%Y-%m}/close", headers=ADMIN)
    assert closed.status_code == 201, closed.text
    body: dict[str, Any] = closed.json()
    return body


def value(body: dict[str, Any], site: str, name: str) -> tuple[Any, Any]:
    reading = kpi(body, site, name)
    return reading["value"], reading["sample_size"]


def slot(
    site_id: uuid.UUID, start: datetime, minutes: int, line: str = LINE, places: int = 2
) -> Slot:
    return Slot.open(
        schedule_id=uuid.uuid4(),
        site_id=site_id,
        service_line=line,
        occurrence=Occurrence(start.date(), start, minutes, places),
        meta=meta(),
    )


def window(site_id: uuid.UUID, start: datetime, end: datetime | None) -> DowntimeWindow:
    return DowntimeWindow.record(
        window_id=uuid.uuid4(),
        site_id=site_id,
        start=start,
        end=end,
        cause="power cut",
        incident_id=None,
        meta=meta(),
    )


def test_slots_and_downtime_feed_site_reliability(pair: Pair) -> None:
    month = months_ago(2)
    site = authorized_site(pair, "North Campus", (LINE, OTHER))
    site_id = uuid.UUID(site)
    # W1 09:30-10:15 UTC, given in +02:00 and recorded before the slots it overlaps
    plus_two = timezone(timedelta(hours=2))
    w1_start = at(month, 3, 9) + timedelta(minutes=30)
    save(
        pair,
        window(site_id, w1_start.astimezone(plus_two), w1_start + timedelta(minutes=45)),
    )
    # scheduled: 60 + 60 (day 3) + 120 (day 4, another line) = 240 minutes; a slot
    # closed by an exception and a slot of the next month are not scheduled in the month
    closed = slot(site_id, at(month, 5, 9), 60)
    closed.close(closure_id=uuid.uuid4(), reason="holiday", meta=meta())
    save(
        pair,
        slot(site_id, at(month, 3, 9), 60),
        slot(site_id, at(month, 3, 10), 60),
        slot(site_id, at(month, 4, 9), 120, OTHER),
        closed,
        slot(site_id, at(month_after(month), 1, 9), 60),
    )
    # W1 takes 30 (slot 09:00) + 15 (slot 10:00) minutes; W2 09:45-10:05 lies inside W1
    w2 = window(site_id, w1_start + timedelta(minutes=15), at(month, 3, 10) + timedelta(minutes=5))
    # W3 opens 08:00 on day 4 and ends 09:30: 30 minutes of the 120-minute slot
    w3 = window(site_id, at(month, 4, 8), None)
    w3.close(end=at(month, 4, 9) + timedelta(minutes=30), meta=meta())
    # W4 would take 30 minutes but is withdrawn; W5 is at night, outside every slot; W6
    # is down during the closed slot
    w4 = window(site_id, at(month, 4, 10), at(month, 4, 10) + timedelta(minutes=30))
    w4.withdraw(reason="recorded in error", meta=meta())
    w5 = window(site_id, at(month, 6, 2), at(month, 6, 4))
    w6 = window(site_id, at(month, 5, 9), at(month, 5, 10))
    save(pair, w2, w3, w4, w5, w6)

    body = report(pair, month)
    # open = 240 - (45 + 30) = 165 of 240 scheduled minutes
    assert value(body, site, "site_reliability") == ("0.6875", 240)

    before = read_models(pair, *FACT_TABLES)
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, *FACT_TABLES) == before


def test_bookings_in_slots_feed_third_next_available(pair: Pair) -> None:
    month = months_ago(2)
    site = authorized_site(pair, "East Campus", (LINE, OTHER))
    site_id = uuid.UUID(site)
    # one place each: day 3 09:00 and 10:00, day 5, day 8, day 10 (09:00), and a slot
    # of another line on day 4 that no request of this line may count
    s1, s2, s3, s4, s5 = (
        slot(site_id, at(month, day, hour), 60, places=1)
        for day, hour in ((3, 9), (3, 10), (5, 9), (8, 9), (10, 9))
    )
    save(pair, s1, s2, s3, s4, s5, slot(site_id, at(month, 4, 9), 60, OTHER))

    def take(taken: Slot, moment: datetime) -> None:
        taken.take(
            appointment_id=uuid.uuid4(), hold_id=None, holder="vendor", at=moment, meta=meta()
        )

    # day 2 09:00, free s1 s2 s3 -> s3 day 5 09:00: 3 days
    take(s1, at(month, 2, 9))
    # day 2 15:00, free s2 s3 s4 -> s4 day 8 09:00: 5 days 18 hours = 5.75 days
    take(s2, at(month, 2, 15))
    # day 4 09:00, free s3 s4 s5 -> s5 day 10 09:00: 6 days
    take(s3, at(month, 4, 9))
    # day 6 09:00, free s4 s5 only: no third slot, nothing counted
    take(s4, at(month, 6, 9))
    save(pair, s1, s2, s3, s4)
    # a place given back later frees s1 again, but the requests were measured already
    s1.release(appointment_id=s1.appointments[0], reason="cancelled", meta=meta())
    save(pair, s1)

    body = report(pair, month)
    # 3, 5.75 and 6 days -> median 5.75, for the site and for its line
    assert value(body, site, "third_next_available_days") == ("5.75", 3)
    line = kpi(body, site, "third_next_available_days", LINE)
    assert (line["value"], line["sample_size"]) == ("5.75", 3)
    other = kpi(body, site, "third_next_available_days", OTHER)
    assert (other["value"], other["sample_size"]) == (None, 0)

    tables = (*FACT_TABLES, "mso_kpi_durations")
    before = read_models(pair, *tables)
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, *tables) == before


def claim(site_id: uuid.UUID, submitted: date, amount: str) -> Claim:
    return Claim.submit(
        site_id=site_id,
        service_line=LINE,
        payer="Blue Shield",
        claim_number=uuid.uuid4().hex[:10],
        billed_amount=Decimal(amount),
        service_date=submitted,
        submitted_on=submitted,
        today=NOW.date(),
        meta=meta(),
    )


def test_open_claims_feed_days_in_ar(pair: Pair) -> None:
    month = months_ago(2)
    following = month_after(month)
    site = authorized_site(pair, "South Campus", (LINE,))
    site_id = uuid.UUID(site)
    submitted = month + timedelta(days=4)
    # D (150.00) is paid early in the next month; saved first, before the claims of
    # the month, so that its payment is recorded before the earlier submissions
    late = claim(site_id, submitted, "150.00")
    late.record_payment(
        on=following + timedelta(days=2), amount=Decimal("150.00"), today=NOW.date(), meta=meta()
    )
    save(pair, late)
    paid, open_, denied = (claim(site_id, submitted, a) for a in ("100.00", "200.00", "300.00"))
    paid.record_payment(
        on=submitted + timedelta(days=3), amount=Decimal("90.00"), today=NOW.date(), meta=meta()
    )
    denied.deny(
        on=submitted + timedelta(days=3), reason_code="CO-16", today=NOW.date(), meta=meta()
    )
    save(pair, paid, open_, denied)

    body = report(pair, month)
    # billed in the month 750.00; open at its end 200 + 300 + 150 = 650.00;
    # days in A/R = 650 * days / 750 = 26.00 (30 days) or 26.87 (31) or 24.27 (28)
    expected = {28: "24.27", 29: "25.13", 30: "26.00", 31: "26.87"}[days_in(month)]
    assert value(body, site, "days_in_ar") == (expected, days_in(month))

    levels = read_models(pair, "mso_kpi_levels")["mso_kpi_levels"]
    balances = {row[3]: row[4] for row in levels if row[0] == "ar_balance_cents"}
    assert balances == {month: 65000, following: 50000}

    before = read_models(pair, *FACT_TABLES)
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, *FACT_TABLES) == before
