"""The expansion read models rebuilt from the log alone (`mhg audit replay`: statements
queued in bulk) equal the live ones: plan months replaced by a revision, costs corrected,
prospects through their steps into a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhg.replay import Replay
from services.mso_ops.app import PARTS
from tests.conftest import StoreUrl
from tests.integration.conftest import ADMIN
from tests.integration.mso_performance_helpers import BILLING, months_ago
from tests.integration.services import service_pair
from tests.integration.site_helpers import PRO_FORMA, ok, propose_site
from tests.integration.test_audit_replay import live, replayed

pytestmark = pytest.mark.storage

TABLES = ("mso_pro_forma_months", "mso_pro_forma_costs", "mso_prospects", "mso_prospect_accounts")
MONTHS = [{"visits": 3, "revenue_cents": 300, "costs_cents": 200}] * 3


def test_a_replay_makes_the_expansion_rows_the_live_runner_made(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with service_pair(store_url) as pair:
        for name, first in (("North", months_ago(2)), ("South", months_ago(1))):
            site = propose_site(pair.mso, name)["id"]
            plan = {
                "first_month": f"{first:%Y-%m}",
                "months": MONTHS,
                "investment_cents": 500,
                "basis": "BP",
            }
            path = f"/sites/{site}/pro-forma/months"
            ok(pair.mso.put(path, json=plan, headers=ADMIN))
            ok(pair.mso.put(path, json={**plan, "months": MONTHS[:2]}, headers=ADMIN))
            for cents in (10, 20):
                ok(
                    pair.mso.put(
                        f"{path}/{first:%Y-%m}/costs",
                        json={"costs_cents": cents, "document_ref": "GL"},
                        headers=BILLING,
                    )
                )
        for name in ("Westfield", "Eastfield"):
            prospect = {"name": name, "kind": "campus", "area": "north", "rationale": "why"}
            pid = ok(pair.mso.post("/expansion/prospects", json=prospect, headers=ADMIN), 201)["id"]
            steps = (
                ("market", {"summary": "none nearby"}),
                ("accounts", {"name": f"{name} USD", "kind": "school_district"}),
                ("accounts", {"name": f"{name} FC", "kind": "team"}),
                ("pro-forma", PRO_FORMA),
                (
                    "board-review",
                    {"held_on": "2026-08-01", "outcome": "endorsed", "minutes_ref": "B"},
                ),
            )
            for step, body in steps:
                ok(pair.mso.post(f"/expansion/prospects/{pid}/{step}", json=body, headers=ADMIN))
        ok(
            pair.mso.post(
                f"/expansion/prospects/{pid}/conversion", json={"address": "1 Elm"}, headers=ADMIN
            )
        )
        now = live(pair)["mso_ops"]
        runtime = pair.mso_runtime
        Replay(PARTS, "mso_ops", runtime.application.location, tmp_path / "replay").run()
        rebuilt = replayed(tmp_path / "replay", "mso_ops", PARTS.metadata())
        for table in TABLES:
            assert rebuilt[table] == now[table], f"{table} differs after the replay"
        assert [r["plan_version"] for r in now["mso_pro_forma_months"]] == [2] * 4
        assert [r["costs_cents"] for r in now["mso_pro_forma_costs"]] == [20, 20]
        assert sorted(r["stage"] for r in now["mso_prospects"]) == ["converted", "endorsed"]
        assert len(now["mso_prospect_accounts"]) == 4
