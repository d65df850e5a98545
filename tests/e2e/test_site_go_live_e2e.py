"""A site from proposal to live through the PC's approval, across two real service processes."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from services.mso_ops.application import MsoOpsApplication
from tests.conftest import StoreUrl
from tests.e2e.flows import ADMIN, BASIS, DIRECTOR, ITEMS, PRO_FORMA, ok
from tests.e2e.harness import event_name, running_services, stored_events, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.deployed]

FEED_WAIT = 15.0


def test_a_site_goes_live_through_the_pcs_approval(store_url: StoreUrl, tmp_path: Path) -> None:
    correlation_id = f"e2e-site-{uuid.uuid4().hex}"
    headers = {"X-Correlation-ID": correlation_id}
    with running_services(store_url, tmp_path) as services:
        mso = services.mso.client(headers)
        pc = services.pc.client(headers)

        site = ok(
            mso.post(
                "/sites",
                json={"name": "Eastside HS", "kind": "campus", "address": "1 Main St"}
                | {"pro_forma": PRO_FORMA},
                headers=ADMIN,
            ),
            201,
        )
        site_id = site["id"]
        assert site["pro_forma"]["payback_months"] == 6
        ok(mso.post(f"/sites/{site_id}/readiness", headers=ADMIN))
        for item in ITEMS:
            evidence = {"met": True, "document_ref": f"DOC-{item}"}
            ok(mso.put(f"/sites/{site_id}/checklist/{item}", json=evidence, headers=ADMIN))
        ok(
            mso.post(
                f"/sites/{site_id}/go-live-requests", json={"summary": "ready"}, headers=ADMIN
            ),
            201,
        )

        def pending() -> list[dict[str, Any]]:
            params = {"kind": "site_go_live", "status": "pending"}
            items: list[dict[str, Any]] = ok(
                pc.get("/authorizations", params=params, headers=DIRECTOR)
            )["items"]
            return items

        [request] = wait_until(pending, FEED_WAIT, message="the go-live request to reach the PC")
        assert request["site_id"] == site_id
        received = ok(pc.get(f"/authorizations/{request['id']}", headers=DIRECTOR))
        assert received["readiness"]["pro_forma"]["monthly_margin"] == "3300.00"

        approved = ok(
            pc.post(
                f"/authorizations/{request['id']}/approve",
                json={"effective_date": "2026-01-01", "basis": BASIS},
                headers=DIRECTOR,
            )
        )
        decision_id = approved["decisions"][-1]["decision_id"]

        arrived = wait_until(
            lambda: (
                (s := ok(mso.get(f"/sites/{site_id}", headers=ADMIN)))["status"] == "approved" and s
            ),
            FEED_WAIT,
            message="the PC's go-live approval to reach the MSO through the feed",
        )
        assert arrived["decision_id"] == decision_id
        live = ok(mso.post(f"/sites/{site_id}/go-live", headers=ADMIN))
        assert live["status"] == "live"
        mso.close()
        pc.close()
        services.stop()

    events = stored_events(MsoOpsApplication, services.mso.database_url)
    site_events = [e for e in events if event_name(e).startswith("Site.")]
    assert [event_name(e) for e in site_events] == [
        "Site.Proposed",
        "Site.ProFormaSet",
        "Site.ReadinessStarted",
        *["Site.ChecklistEvidenceRecorded"] * len(ITEMS),
        "Site.GoLiveRequested",
        "Site.GoLiveApproved",
        "Site.Opened",
    ]
    assert {e.meta.correlation_id for e in site_events} == {correlation_id}
    approval = site_events[-2]
    assert (approval.meta.actor_id, approval.meta.actor_org) == ("dr-lee", "pc")
    assert approval.decision_id == uuid.UUID(decision_id)
