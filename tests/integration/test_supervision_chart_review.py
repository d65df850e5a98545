"""The chart-review share per APP per month, measured and on the agenda.

The PC records how many charts an APP signed in a month; the charts of the APP's
completed review samples that month are the charts reviewed; the supervision rules'
chart-review share of the count (rounded up) is what is required. A month short of it
becomes an agenda item of the next meeting, and leaves the agenda once reviews cover it.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.clinician_helpers import QUALITY, credentialed
from tests.integration.conftest import pair
from tests.integration.pc_open_items import assemble, ok, schedule, today
from tests.integration.services import Pair
from tests.integration.test_mso_staffing import set_rules
from tests.integration.test_pc_quality import open_sample, reviewed

__all__ = ["pair"]  # fixtures


def count(pair: Pair, app_id: str, month: str, charts: Any, headers: Any = QUALITY) -> Any:
    return pair.pc.put(
        f"/supervision/chart-counts/{app_id}/{month}", json={"charts": charts}, headers=headers
    )


def shares(pair: Pair, **params: Any) -> list[dict[str, Any]]:
    pair.pc_runtime.projections.catch_up()
    found = ok(pair.pc.get("/supervision/chart-review", params=params, headers=QUALITY))
    items: list[dict[str, Any]] = found["items"]
    return items


def shortfall_items(pair: Pair, meeting_id: str) -> list[dict[str, Any]]:
    return assemble(pair, meeting_id, ["chart_review_shortfall"])


def test_an_apps_month_short_of_the_chart_review_share_is_measured_and_put_on_the_agenda(
    pair: Pair,
) -> None:
    month = f"{today():%Y-%m}"
    np_id, _ = credentialed(pair, "2000000921", "np")
    doctor, _ = credentialed(pair, "1000000921")
    set_rules(pair)  # a 20% chart-review share
    counted = ok(count(pair, np_id, month, 12))
    assert (counted["charts"], counted["version"]) == (12, 1)
    reviewed(pair, ["none", "minor"], clinician=np_id, period=month)
    open_sample(pair, ["EHR-open-1", "EHR-open-2"], clinician=np_id, period=month)
    reviewed(pair, ["none"] * 5, clinician=doctor, period=month)  # not an APP's charts

    [row] = shares(pair, month=month)
    assert {k: row[k] for k in ("app_id", "month", "charts", "share_percent")} == {
        "app_id": np_id,
        "month": month,
        "charts": 12,
        "share_percent": 20,
    }
    assert (row["reviewed"], row["required"], row["shortfall"]) == (2, 3, 1)
    assert shares(pair, app_id=doctor) == []

    meeting = schedule(pair, month, f"{today().isoformat()}T18:00:00Z")
    [item] = shortfall_items(pair, meeting)
    assert (item["kind"], item["reference"]) == ("chart_review_shortfall", f"{np_id}/{month}")
    assert "2 of 3" in item["title"]

    reviewed(pair, ["none"], clinician=np_id, period=month)
    [row] = shares(pair, month=month)
    assert (row["reviewed"], row["required"], row["shortfall"]) == (3, 3, 0)
    later = schedule(pair, month, f"{today().isoformat()}T20:00:00Z")
    assert shortfall_items(pair, later) == []

    recounted = ok(count(pair, np_id, month, 30))  # a recount: 6 required now
    assert recounted["version"] == 2
    [row] = shares(pair, month=month)
    assert (row["required"], row["shortfall"]) == (6, 3)


def test_a_chart_count_names_what_is_wrong_and_writes_nothing(pair: Pair) -> None:
    np_id, _ = credentialed(pair, "2000000922", "pa")
    doctor, _ = credentialed(pair, "1000000922")
    head = pair.pc_runtime.application.head_position()
    wrong = count(pair, doctor, "2026-11", 10)
    assert wrong.status_code == 422, wrong.text
    assert (wrong.json()["type"], wrong.json()["field"]) == (
        "/problems/invalid-chart-volume",
        "app_id",
    )
    assert count(pair, np_id, "2026-13", 10).status_code == 422
    assert count(pair, np_id, "2026-11", -1).status_code == 422
    assert count(pair, np_id, "2026-11", "many").status_code == 422
    unknown = count(pair, "6f1f6a3e-9a55-4c8c-8a61-0d1b7f1c2e10", "2026-11", 10)
    assert unknown.status_code == 404, unknown.text
    assert count(pair, np_id, "2026-11", 10, auth("mso_admin", "ann")).status_code == 403
    assert (
        pair.pc.get(
            "/supervision/chart-review", params={"month": "11/2026"}, headers=QUALITY
        ).status_code
        == 422
    )
    assert pair.pc_runtime.application.head_position() == head
    assert shares(pair) == [], "no rules, no counts: nothing measured"
