"""A site's KPI months are months on its own wall clock (ADR 0027).

A Los Angeles visit at 23:30 on 31 January is at 07:30 UTC on 1 February: it is one of
the site's January visits, its survey is of 31 January, the dashboard of the site still
shows January, and January closes only once it is over in Los Angeles too. A site without
a zone keeps UTC months, as before zones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.mso_ops.application import clock as mso_clock
from tests.integration.conftest import ADMIN
from tests.integration.mso_performance_helpers import authorized_site, kpi, visit
from tests.integration.services import Pair
from tests.integration.site_helpers import ok

LOS_ANGELES = "America/Los_Angeles"
LINE = "sports_clearance"
EASTSIDE = {"name": "Eastside Unified", "kind": "school_district", "service_lines": [LINE]}
EVENING = datetime(2027, 2, 1, 7, 30, tzinfo=UTC)  # 23:30 on 31 January in Los Angeles (PST)
STILL_JANUARY_THERE = datetime(2027, 2, 1, 7, 45, tzinfo=UTC)
FEBRUARY_THERE = datetime(2027, 2, 1, 8, 15, tzinfo=UTC)


def figures(report: dict[str, Any], site: str, name: str) -> tuple[Any, int]:
    k = kpi(report, site, name)
    return k["value"], k["sample_size"]


def dashboard(pair: Pair, **params: str) -> dict[str, Any]:
    return dict(ok(pair.mso.get("/dashboard", params=params, headers=ADMIN)))


def evening_visits(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, now: datetime, score: int, account: str = ""
) -> tuple[str, str]:
    """A Los Angeles site and a UTC one, each with a visit booked for `EVENING` (for the
    `account` when given), fulfilled and surveyed with the clock at `now`."""
    pacific = authorized_site(pair, "Pacific Campus", (LINE,))
    ok(pair.mso.put(f"/sites/{pacific}/time-zone", json={"time_zone": LOS_ANGELES}, headers=ADMIN))
    utc = authorized_site(pair, "UTC Campus", (LINE,))
    monkeypatch.setattr(mso_clock, "now", lambda: now)
    for site in (pacific, utc):
        visit(pair, site, LINE, EVENING, "fulfilled", score, account_id=account or None)
    pair.sync()
    return pacific, utc


def test_an_evening_visit_counts_in_the_sites_own_month(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacific, utc = evening_visits(pair, monkeypatch, STILL_JANUARY_THERE, score=10)

    there = dashboard(pair, site_id=pacific)
    assert there["month"] == "2027-01-01"
    assert figures(there, pacific, "no_show_rate") == ("0.0000", 1)
    assert figures(there, pacific, "nps") == ("100.0", 1)
    here = dashboard(pair, site_id=utc)
    assert here["month"] == "2027-02-01"  # as before zones
    assert figures(here, utc, "no_show_rate") == ("0.0000", 1)
    assert dashboard(pair)["month"] == "2027-01-01"  # not over at every site yet

    early = pair.mso.post("/performance-reports/2027-01/close", headers=ADMIN)
    assert early.status_code == 409, early.text
    assert early.json()["type"].endswith("month-not-over")

    monkeypatch.setattr(mso_clock, "now", lambda: FEBRUARY_THERE)
    closed = pair.mso.post("/performance-reports/2027-01/close", headers=ADMIN)
    assert closed.status_code == 201, closed.text
    january = closed.json()
    assert figures(january, pacific, "no_show_rate") == ("0.0000", 1)
    assert figures(january, pacific, "nps") == ("100.0", 1)
    assert figures(january, utc, "no_show_rate") == (None, 0)  # February's in UTC
    assert dashboard(pair)["month"] == "2027-02-01"


def test_surveys_carry_the_day_of_the_visit_at_its_site(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacific, utc = evening_visits(pair, monkeypatch, FEBRUARY_THERE, score=9)
    surveys = ok(pair.mso.get("/surveys", headers=ADMIN))["items"]
    days = {s["site_id"]: s["visit_on"] for s in surveys}
    assert days == {pacific: "2027-01-31", utc: "2027-02-01"}


def test_an_evening_booking_is_the_accounts_demand_of_the_sites_day(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = ok(pair.mso.post("/accounts", json=EASTSIDE, headers=ADMIN), 201)["id"]
    pacific, utc = evening_visits(pair, monkeypatch, FEBRUARY_THERE, score=9, account=account)
    pair.mso_runtime.projections.catch_up()
    demand = ok(pair.mso.get(f"/accounts/{account}/demand", headers=ADMIN))["items"]
    assert {d["site_id"]: d["on"] for d in demand} == {pacific: "2027-01-31", utc: "2027-02-01"}


def test_an_accounts_volume_counts_each_visit_in_its_sites_month(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = ok(pair.mso.post("/accounts", json=EASTSIDE, headers=ADMIN), 201)["id"]
    evening_visits(pair, monkeypatch, FEBRUARY_THERE, score=9, account=account)
    pair.mso_runtime.projections.catch_up()

    def booked(from_month: str, to_month: str) -> dict[str, int]:
        volume = ok(
            pair.mso.get(
                f"/accounts/{account}/volume",
                params={"from_month": from_month, "to_month": to_month},
                headers=ADMIN,
            )
        )
        return {m["month"]: m["visits_booked"] for m in volume["months"]}

    # Los Angeles' visit is one of its January visits; the UTC site's is February's.
    assert booked("2027-01", "2027-02") == {"2027-01": 1, "2027-02": 1}
    assert booked("2027-01", "2027-01") == {"2027-01": 1}
    assert booked("2027-02", "2027-02") == {"2027-02": 1}


def test_a_sites_pro_forma_months_are_its_own(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    pacific, _utc = evening_visits(pair, monkeypatch, STILL_JANUARY_THERE, score=9)
    planned = {"visits": 1, "revenue_cents": 0, "costs_cents": 0}
    body = {
        "first_month": "2027-01",
        "months": [planned, planned],
        "investment_cents": 0,
        "basis": "Board paper BP-9",
    }
    ok(pair.mso.put(f"/sites/{pacific}/pro-forma/months", json=body, headers=ADMIN))
    pair.sync()

    report = ok(pair.mso.get(f"/sites/{pacific}/pro-forma/actuals", headers=ADMIN))
    assert report["through"] == "2027-01-01"  # still January in Los Angeles
    months = {m["month"]: m for m in report["months"]}
    assert months["2027-01-01"]["actual"]["visits"] == 1
    assert months["2027-02-01"]["actual"] is None
    [february] = ok(pair.mso.get("/performance-reports/2027-02/pro-forma", headers=ADMIN))["sites"]
    assert february["actual"] is None  # not begun at the site

    monkeypatch.setattr(mso_clock, "now", lambda: FEBRUARY_THERE)
    assert ok(pair.mso.get(f"/sites/{pacific}/pro-forma/actuals", headers=ADMIN))["through"] == (
        "2027-02-01"
    )
    [february] = ok(pair.mso.get("/performance-reports/2027-02/pro-forma", headers=ADMIN))["sites"]
    assert february["actual"]["visits"] == 0
