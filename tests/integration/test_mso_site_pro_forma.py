"""A site's pro forma month by month against its actual months, over HTTP, hand-computed.

Plan (cents): month -2: 3 visits, 30000 revenue, 20000 costs; month -1: 2, 20000, 15000;
this month: 5, 50000, 30000; next month: 5, 50000, 30000; investment 15000. Planned
margins 10000, 5000, 20000, 20000: the plan repays the investment in month -1.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.mso_ops.domain.monthly_pro_forma import month_after
from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.mso_performance_helpers import (
    BILLING,
    at,
    authorized_site,
    months_ago,
    visit,
)
from tests.integration.policy_feed import deliver_coding_rules
from tests.integration.services import Pair
from tests.integration.site_helpers import ok

PLANNED = [
    {"visits": 3, "revenue_cents": 30000, "costs_cents": 20000},
    {"visits": 2, "revenue_cents": 20000, "costs_cents": 15000},
    {"visits": 5, "revenue_cents": 50000, "costs_cents": 30000},
    {"visits": 5, "revenue_cents": 50000, "costs_cents": 30000},
]


def ym(month: date) -> str:
    return f"{month:%Y-%m}"


def plan(first: date, **changes: Any) -> dict[str, Any]:
    return {
        "first_month": ym(first),
        "months": PLANNED,
        "investment_cents": 15000,
        "basis": "Board paper BP-7",
        **changes,
    }


def claim(pair: Pair, site_id: str, number: str, amount: str, day: date, **named: Any) -> None:
    body = {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "payer": "Blue Shield of California",
        "claim_number": number,
        "billed_amount": amount,
        "service_date": day.isoformat(),
        "submitted_on": max(day, months_ago(1)).isoformat(),
        **named,
    }
    ok(pair.mso.post("/billing/claims", json=body, headers=BILLING), 201)


def costs(pair: Pair, site_id: str, month: date, cents: int, **headers: str) -> Any:
    return pair.mso.put(
        f"/sites/{site_id}/pro-forma/months/{ym(month)}/costs",
        json={"costs_cents": cents, "document_ref": f"GL-{ym(month)}"},
        headers={**BILLING, **headers},
    )


def actuals(pair: Pair, site_id: str) -> dict[str, Any]:
    return ok(pair.mso.get(f"/sites/{site_id}/pro-forma/actuals", headers=ADMIN))


@pytest.mark.storage  # its own sums over the read models, so on each backend
def test_the_plan_against_the_actual_months_with_payback_to_date(pair: Pair) -> None:
    two, one, this = months_ago(2), months_ago(1), months_ago(0)
    site = authorized_site(pair, "North Campus", ("sports_clearance",))
    other = authorized_site(pair, "South Clinic", ("sports_clearance",))
    deliver_coding_rules(pair, "sports_clearance")  # what the claims are coded under
    set_plan = pair.mso.put(f"/sites/{site}/pro-forma/months", json=plan(two), headers=ADMIN)
    assert set_plan.status_code == 200, set_plan.text
    assert set_plan.json()["plan"]["number"] == 1
    assert [m["margin_cents"] for m in set_plan.json()["plan"]["months"]] == [
        10000,
        5000,
        20000,
        20000,
    ]
    # Visits: month -2 has 3 fulfilled (a no-show and a cancellation are not visits);
    # month -1 has 1; a visit of month -3 and one at the other site are not counted.
    for day in (1, 2, 3):
        visit(pair, site, "sports_clearance", at(two, day), "fulfilled")
    visit(pair, site, "sports_clearance", at(two, 4), "no_show")
    visit(pair, site, "sports_clearance", at(two, 5), "cancelled")
    visit(pair, site, "sports_clearance", at(one, 6), "fulfilled")
    visit(pair, site, "sports_clearance", at(months_ago(3), 7), "fulfilled")
    visit(pair, other, "sports_clearance", at(two, 8), "fulfilled")
    # Revenue: charges billed for the month's services: 100 + 150 in month -2, 120 in -1.
    claim(pair, site, "C-1", "100.00", two.replace(day=10))
    claim(pair, site, "C-2", "150.00", two.replace(day=20))
    claim(pair, site, "C-3", "120.00", one.replace(day=2))
    claim(pair, site, "C-4", "999.00", months_ago(3).replace(day=2))
    claim(pair, other, "C-5", "999.00", two.replace(day=2))
    ok(costs(pair, site, two, 18000))
    pair.sync()

    report = actuals(pair, site)
    assert (report["plan_version"], report["through"]) == (1, this.isoformat())
    months = {m["month"]: m for m in report["months"]}
    assert list(months) == [m.isoformat() for m in (two, one, this, month_after(months_ago(0)))]
    first = months[two.isoformat()]
    assert first["actual"] == {
        "visits": 3,
        "revenue_cents": 25000,
        "costs_cents": 18000,
        "margin_cents": 7000,
    }
    assert first["variance"] == {
        "visits": 0,
        "revenue_cents": -5000,
        "costs_cents": -2000,
        "margin_cents": -3000,
    }
    second = months[one.isoformat()]
    assert second["actual"] == {
        "visits": 1,
        "revenue_cents": 12000,
        "costs_cents": None,
        "margin_cents": None,
    }
    assert second["variance"] == {
        "visits": -1,
        "revenue_cents": -8000,
        "costs_cents": None,
        "margin_cents": None,
    }
    assert months[this.isoformat()]["actual"]["visits"] == 0
    assert months[month_after(months_ago(0)).isoformat()]["actual"] is None
    assert months[month_after(months_ago(0)).isoformat()]["variance"] is None
    assert report["payback"] == {
        "investment_cents": 15000,
        "planned_margin_to_date_cents": 35000,
        "actual_margin_to_date_cents": 7000,
        "months_with_actual_margin": 1,
        "remaining_cents": 8000,
        "planned_payback_month": one.isoformat(),
        "paid_back_in": None,
    }

    # The month beside its performance report: every site planning it, read the same way.
    beside = ok(pair.mso.get(f"/performance-reports/{ym(two)}/pro-forma", headers=ADMIN))
    assert beside["month"] == two.isoformat()
    assert [s["site_id"] for s in beside["sites"]] == [site], "the other site plans nothing"
    [row] = beside["sites"]
    assert (row["plan_version"], row["actual"], row["variance"]) == (
        1,
        first["actual"],
        first["variance"],
    )
    later = month_after(months_ago(0))
    [ahead] = ok(pair.mso.get(f"/performance-reports/{ym(later)}/pro-forma", headers=ADMIN))[
        "sites"
    ]
    assert (ahead["planned"]["visits"], ahead["actual"]) == (5, None)
    assert pair.mso.get("/performance-reports/1999-12/pro-forma", headers=ADMIN).status_code == 422

    # Month -1's costs recorded: its margin 12000 - 4000 repays the rest.
    ok(costs(pair, site, one, 4000))
    payback = actuals(pair, site)["payback"]
    assert (payback["actual_margin_to_date_cents"], payback["remaining_cents"]) == (15000, 0)
    assert payback["paid_back_in"] == one.isoformat()
    # Recording again corrects the figure (both stay on the record as events).
    shown = ok(costs(pair, site, one, 9000))
    assert [c["costs_cents"] for c in shown["recorded_costs"]] == [18000, 9000]
    assert actuals(pair, site)["payback"]["paid_back_in"] is None


def test_versions_costs_and_refusals(pair: Pair) -> None:
    two = months_ago(2)
    site = authorized_site(pair, "North Campus", ("sports_clearance",))
    path = f"/sites/{site}/pro-forma/months"
    unknown = "00000000-0000-4000-8000-000000000001"

    missing = pair.mso.get(f"/sites/{site}/pro-forma/actuals", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("monthly-pro-forma-not-found")
    assert (
        pair.mso.put(
            f"/sites/{unknown}/pro-forma/months", json=plan(two), headers=ADMIN
        ).status_code
        == 404
    )
    stale_first = pair.mso.put(path, json=plan(two), headers={**ADMIN, "If-Match": '"3"'})
    assert stale_first.status_code == 412, stale_first.text
    assert pair.mso.put(path, json=plan(two), headers=SCHEDULER).status_code == 403
    for bad in (
        plan(two, first_month="2026-13"),
        plan(two, months=[]),
        plan(two, months=PLANNED * 16),  # 64 months: more than five years
        plan(two, months=[{"visits": 1, "revenue_cents": -1, "costs_cents": 0}]),
        plan(two, months=[{"visits": 1, "revenue_cents": 10**12, "costs_cents": 0}]),
        plan(two, investment_cents=10**12),
        plan(two, basis=""),
        plan(two, extra=True),
    ):
        assert pair.mso.put(path, json=bad, headers=ADMIN).status_code == 422, bad
    assert pair.mso.get(path, headers=ADMIN).status_code == 404, "nothing was written"

    first = pair.mso.put(path, json=plan(two), headers=ADMIN)
    assert (first.status_code, first.headers["ETag"]) == (200, '"1"')
    revised = pair.mso.put(
        path, json=plan(months_ago(1), investment_cents=0), headers={**ADMIN, "If-Match": '"1"'}
    )
    assert revised.status_code == 200, revised.text
    stale = pair.mso.put(path, json=plan(two), headers={**ADMIN, "If-Match": '"1"'})
    assert stale.status_code == 412
    shown = ok(pair.mso.get(path, headers=SCHEDULER))
    assert [v["number"] for v in shown["versions"]] == [1, 2]
    assert shown["plan"]["first_month"] == months_ago(1).isoformat()
    assert shown["versions"][0]["first_month"] == two.isoformat()
    assert shown["plan"]["set_by"] == "ann"
    pair.sync()  # the month's view reads the plan in force from the read model

    def planned_in(month: date) -> list[tuple[str, int]]:
        found = ok(pair.mso.get(f"/performance-reports/{ym(month)}/pro-forma", headers=ADMIN))
        return [(s["site_id"], s["plan_version"]) for s in found["sites"]]

    assert planned_in(two) == [], "version 2 starts a month later"
    assert planned_in(months_ago(1)) == [(site, 2)]

    # Costs only for a month the plan in force plans, once it has begun.
    for month in (two, month_after(months_ago(0))):
        refused = costs(pair, site, month, 100)
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"].endswith("month-not-planned")
    assert costs(pair, site, months_ago(1), -5).status_code == 422
    assert costs(pair, site, months_ago(1), 100, **SCHEDULER).status_code == 403
    bad_month = pair.mso.put(
        f"/sites/{site}/pro-forma/months/2026-00/costs",
        json={"costs_cents": 1, "document_ref": "GL"},
        headers=BILLING,
    )
    assert bad_month.status_code == 422
    assert ok(pair.mso.get(path, headers=ADMIN))["recorded_costs"] == []
    # The latest plan (investment 0) is repaid before any margin.
    assert actuals(pair, site)["payback"]["planned_payback_month"] == months_ago(1).isoformat()
