"""Revenue per site counts every claim; revenue by account only the claims naming one.

A site's actual revenue (its pro forma's actual months, and the month's comparison beside
the performance report) is every charge billed for the site's services in the month,
whether or not the claim names an account. An account's revenue is only what the claims
naming it billed and collected (a claim names no booking); a claim naming no account
counts for none, so the site's revenue less its accounts' is what no account was named for.
"""

from __future__ import annotations

from tests.integration.conftest import ADMIN, AUDITOR
from tests.integration.mso_performance_helpers import authorized_site, months_ago
from tests.integration.policy_feed import deliver_coding_rules
from tests.integration.services import Pair
from tests.integration.site_helpers import ok
from tests.integration.test_mso_accounts import EASTSIDE
from tests.integration.test_mso_site_pro_forma import claim, plan, ym


def test_a_sites_revenue_counts_every_claim_and_an_accounts_only_its_own(pair: Pair) -> None:
    last = months_ago(1)
    site = authorized_site(pair, "North Campus", ("sports_clearance",))
    deliver_coding_rules(pair, "sports_clearance")
    ok(pair.mso.put(f"/sites/{site}/pro-forma/months", json=plan(months_ago(2)), headers=ADMIN))
    eastside = ok(pair.mso.post("/accounts", json=EASTSIDE, headers=ADMIN), 201)["id"]
    wolves = {**EASTSIDE, "name": "Westside Wolves", "kind": "team"}
    team = ok(pair.mso.post("/accounts", json=wolves, headers=ADMIN), 201)["id"]
    claim(pair, site, "R-1", "100.00", last.replace(day=3), account_id=eastside)
    claim(pair, site, "R-2", "50.00", last.replace(day=4), account_id=team)
    claim(pair, site, "R-3", "150.00", last.replace(day=5))  # names no account
    pair.sync()

    months = ok(pair.mso.get(f"/sites/{site}/pro-forma/actuals", headers=ADMIN))["months"]
    (actual,) = [m["actual"] for m in months if m["month"] == last.isoformat()]
    assert actual["revenue_cents"] == 30000  # every claim of the site
    beside = ok(pair.mso.get(f"/performance-reports/{ym(last)}/pro-forma", headers=ADMIN))
    (row,) = [s for s in beside["sites"] if s["site_id"] == site]
    assert row["actual"]["revenue_cents"] == 30000

    month = {"from_month": ym(last), "to_month": ym(last)}
    rows = ok(pair.mso.get("/accounts/volume", params=month, headers=AUDITOR))["items"]
    billed = {r["name"]: (r["claims"], r["billed_amount"]) for r in rows}
    assert billed == {
        "Eastside Unified School District": (1, "100.00"),
        "Westside Wolves": (1, "50.00"),
    }
    own = ok(pair.mso.get(f"/accounts/{eastside}/volume", params=month, headers=AUDITOR))
    assert own["totals"]["billed_amount"] == "100.00"
    assert "naming the account" in own["revenue_basis"]
