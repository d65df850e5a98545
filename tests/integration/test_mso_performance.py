"""The monthly performance report over HTTP, on each backend, against hand-computed values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.mso_performance_helpers import (
    AUDITOR,
    SERVICE,
    at,
    authorized_site,
    kpi,
    month_start,
    months_ago,
    read_models,
    visit,
)
from tests.integration.services import (
    Pair,
)

KPI_TABLES = (
    "mso_kpi_subjects",
    "mso_kpi_counts",
    "mso_kpi_durations",
    "mso_kpi_levels",
    "mso_kpi_level_series",
    "mso_kpi_targets",
    "mso_surveys",
    "mso_performance_reports",
)


def fixed_month(pair: Pair) -> tuple[str, str, str]:
    """Two sites and a month of visits; the expected figures are worked out beside each."""
    month = months_ago(2)
    north = authorized_site(pair, "North Campus", ("sports_clearance", "school_physical"))
    south = authorized_site(pair, "South Clinic", ("sports_clearance",))
    # North, sports: 6 fulfilled (5 surveyed: 10 9 8 6 3), 1 no-show; a cancelled visit
    # and one with no outcome yet never came due. 1 / 7 = 0.1429; NPS (2 - 2) / 5 = 0.0
    for day, score in zip(range(1, 7), (10, 9, 8, 6, 3, None), strict=True):
        visit(pair, north, "sports_clearance", at(month, day), "fulfilled", score)
    visit(pair, north, "sports_clearance", at(month, 7), "no_show")
    visit(pair, north, "sports_clearance", at(month, 8), "cancelled")
    visit(pair, north, "sports_clearance", at(month, 9))
    # North, school: 3 fulfilled (10 10 7), 2 no-shows: 2 / 5 = 0.4; NPS (2 - 0) / 3 = 66.7
    for day, score in ((10, 10), (11, 10), (12, 7)):
        visit(pair, north, "school_physical", at(month, day), "fulfilled", score)
    for day in (13, 14):
        visit(pair, north, "school_physical", at(month, day), "no_show")
    # South: 2 fulfilled (one surveyed 9); and a visit of the month before, which is not this one's
    visit(pair, south, "sports_clearance", at(month, 3), "fulfilled", 9)
    visit(pair, south, "sports_clearance", at(month, 4), "fulfilled")
    visit(pair, south, "sports_clearance", at(months_ago(3), 28), "no_show")
    return f"{month:%Y-%m}", north, south


def set_target(pair: Pair, name: str, target: str, site_id: str | None = None) -> Any:
    response = pair.mso.put(
        f"/kpi-targets/{name}", json={"target": target, "site_id": site_id}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    return response


def close(pair: Pair, month: str, headers: dict[str, str] = ADMIN, **extra: Any) -> Any:
    return pair.mso.post(f"/performance-reports/{month}/close", headers={**headers, **extra})


def published(pair: Pair) -> list[dict[str, Any]]:
    feed = pair.mso.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    return [m for m in feed["messages"] if m["type"] == "performance-report.published"]


def test_a_closed_month_reports_hand_computed_kpis_and_publishes_them(pair: Pair) -> None:
    month, north, south = fixed_month(pair)
    set_target(pair, "no_show_rate", "0.10")
    set_target(pair, "no_show_rate", "0.2", north)
    set_target(pair, "nps", "30")

    closed = close(pair, month)
    assert closed.status_code == 201, closed.text
    report = closed.json()
    assert closed.headers["Location"] == f"/performance-reports/{month}?revision=1"
    assert closed.headers["ETag"] == '"1"'
    assert (report["status"], report["revision"], report["revisions"]) == ("final", 1, 1)
    assert [s["site_name"] for s in report["sites"]] == ["North Campus", "South Clinic"]

    def figures(site: str, name: str, line: str | None = None) -> tuple[Any, ...]:
        k = kpi(report, site, name, line)
        return k["value"], k["sample_size"], k["target"], k["variance"]

    assert figures(north, "no_show_rate") == ("0.2500", 12, "0.2", "0.0500")
    assert figures(north, "no_show_rate", "sports_clearance") == ("0.1429", 7, "0.2", "-0.0571")
    assert figures(north, "no_show_rate", "school_physical") == ("0.4000", 5, "0.2", "0.2000")
    assert figures(south, "no_show_rate") == ("0.0000", 2, "0.10", "-0.1000")
    assert figures(north, "nps") == ("25.0", 8, "30", "-5.0")
    assert figures(north, "nps", "sports_clearance") == ("0.0", 5, "30", "-30.0")
    assert figures(north, "nps", "school_physical") == ("66.7", 3, "30", "36.7")
    assert figures(south, "nps") == ("100.0", 1, "30", "70.0")
    assert kpi(report, north, "no_show_rate")["direction"] == "lower_is_better"
    assert figures(north, "days_in_ar") == (None, 0, None, None), "not fed yet: no data"

    [message] = published(pair)
    assert (message["version"], message["producer"]) == (1, "mso-ops")
    payload = message["payload"]
    assert (payload["month"], payload["revision"], payload["status"]) == (
        f"{month}-01",
        1,
        "final",
    )
    assert payload["report_id"] == report["report_id"]
    assert payload["sites"] == report["sites"]
    assert "Pat Doe" not in str(message)
    assert "date_of_birth" not in str(message)
    pair.sync()  # PC Governance passes over a message it does not use yet, without failing
    assert pair.pc_runtime.follower.status.last_error is None

    again = close(pair, month)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/report-unchanged"

    # late data: a no-show at South recorded after the close gives revision 2
    visit(pair, south, "sports_clearance", at(months_ago(2), 20), "no_show")
    stale = close(pair, month, **{"If-Match": '"0"'})
    assert stale.status_code == 412
    revised = close(pair, month, **{"If-Match": '"1"'})
    assert revised.status_code == 201, revised.text
    assert revised.json()["revision"] == 2
    assert kpi(revised.json(), south, "no_show_rate")["value"] == "0.3333"
    assert [m["payload"]["revision"] for m in published(pair)] == [1, 2]
    first = pair.mso.get(f"/performance-reports/{month}", params={"revision": 1}, headers=AUDITOR)
    assert first.json()["sites"] == report["sites"]
    latest = pair.mso.get(f"/performance-reports/{month}", headers=SCHEDULER)
    assert (latest.json()["revision"], latest.headers["ETag"]) == (2, '"2"')
    only = pair.mso.get(
        f"/performance-reports/{month}",
        params={"site_id": north, "service_line": "school_physical"},
        headers=ADMIN,
    ).json()
    assert [s["site_id"] for s in only["sites"]] == [north]
    assert {k["service_line"] for k in only["sites"][0]["kpis"]} == {"school_physical"}


def test_closing_is_the_admins_for_months_that_are_over(pair: Pair) -> None:
    this_month = f"{datetime.now(UTC):%Y-%m}"
    for headers, status in ((SCHEDULER, 403), (AUDITOR, 403), ({}, 401)):
        assert close(pair, f"{months_ago(1):%Y-%m}", headers=headers).status_code == status
    head = pair.mso_runtime.application.head_position()
    not_over = close(pair, this_month)
    assert not_over.status_code == 409
    assert not_over.json()["type"] == "/problems/month-not-over"
    for bad in ("2026-13", "26-10", "1999-12"):
        refused = close(pair, bad)
        assert refused.status_code == 422, (bad, refused.text)
    assert close(pair, "2030-01", **{"If-Match": '"1"'}).status_code == 409  # not over first
    assert pair.mso_runtime.application.head_position() == head
    missing = pair.mso.get(f"/performance-reports/{months_ago(1):%Y-%m}", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/performance-report-not-found"

    keyed = {"Idempotency-Key": "close-1"}
    first = close(pair, f"{months_ago(1):%Y-%m}", **keyed)
    replay = close(pair, f"{months_ago(1):%Y-%m}", **keyed)
    assert first.status_code == replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    never = close(pair, f"{months_ago(4):%Y-%m}", **{"If-Match": '"1"'})
    assert never.status_code == 412, "a month never closed has no version 1"
    bad_revision = pair.mso.get(
        f"/performance-reports/{months_ago(1):%Y-%m}", params={"revision": 2}, headers=ADMIN
    )
    assert bad_revision.status_code == 404


def test_reports_list_and_filter_and_the_dashboard_shows_the_month_so_far(pair: Pair) -> None:
    site = authorized_site(pair, "North Campus", ("sports_clearance",))
    for count in (3, 2, 1):
        visit(pair, site, "sports_clearance", at(months_ago(count), 5), "no_show")
        assert close(pair, f"{months_ago(count):%Y-%m}").status_code == 201
    visit(pair, site, "sports_clearance", at(months_ago(2), 6), "fulfilled")
    assert close(pair, f"{months_ago(2):%Y-%m}").status_code == 201
    pair.sync()

    def listed(**params: Any) -> list[tuple[str, int]]:
        page = pair.mso.get("/performance-reports", params=params, headers=AUDITOR)
        assert page.status_code == 200, page.text
        return [(i["month"][:7], i["revision"]) for i in page.json()["items"]]

    months = [f"{months_ago(n):%Y-%m}" for n in (3, 2, 1)]
    assert listed() == [(months[0], 1), (months[1], 2), (months[2], 1)]
    assert listed(from_month=months[1]) == [(months[1], 2), (months[2], 1)]
    assert listed(to_month=months[1]) == [(months[0], 1), (months[1], 2)]
    assert listed(revised=True) == [(months[1], 2)]
    first = pair.mso.get("/performance-reports", params={"limit": 2}, headers=ADMIN).json()
    second = pair.mso.get(
        "/performance-reports", params={"limit": 2, "cursor": first["next_cursor"]}, headers=ADMIN
    ).json()
    assert len(first["items"] + second["items"]) == 3
    assert second["next_cursor"] is None
    assert (
        pair.mso.get(
            "/performance-reports", params={"from_month": "May"}, headers=ADMIN
        ).status_code
        == 422
    )

    now = datetime.now(UTC)
    start = now - min(
        timedelta(hours=1), (now - datetime.combine(month_start(now), datetime.min.time(), UTC)) / 2
    )
    visit(pair, site, "sports_clearance", start, "no_show")
    pair.sync()
    board = pair.mso.get("/dashboard", headers=SCHEDULER)
    assert board.status_code == 200, board.text
    body = board.json()
    assert (body["status"], body["revision"], body["report_id"]) == ("provisional", None, None)
    assert body["month"] == f"{month_start(now):%Y-%m-%d}"
    assert kpi(body, site, "no_show_rate")["value"] == "1.0000"
    lines = pair.mso.get(
        "/dashboard", params={"site_id": site, "service_line": "sports_clearance"}, headers=ADMIN
    ).json()
    assert {k["service_line"] for k in lines["sites"][0]["kpis"]} == {"sports_clearance"}
    assert pair.mso.get("/dashboard", headers={}).status_code == 401
    assert len(published(pair)) == 4, "the dashboard publishes nothing"


def test_the_kpi_read_models_rebuild_from_zero_to_the_live_rows(pair: Pair) -> None:
    month, north, _south = fixed_month(pair)
    set_target(pair, "nps", "30")
    set_target(pair, "nps", "35")
    assert close(pair, month).status_code == 201
    appointment = visit(pair, north, "sports_clearance", at(months_ago(2), 21), "no_show")
    in_error = pair.mso.post(
        f"/appointments/{appointment}/entered-in-error",
        json={"reason": "duplicate booking"},
        headers=SCHEDULER,
    )
    assert in_error.status_code == 200, in_error.text
    pair.sync()
    before = read_models(pair, *KPI_TABLES)
    assert len(before["mso_kpi_subjects"]) == 18
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, *KPI_TABLES) == before
    unchanged = close(pair, month)  # entered-in-error took the counted no-show back
    assert unchanged.json()["type"] == "/problems/report-unchanged"
