"""Steps the site tests share: propose, ready, request go-live, decide at the PC."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.services import Pair

MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-2026-031"}
ITEMS = ("lease", "equipment", "staffing_plan", "it", "vendors", "lab_courier", "forms")
PRO_FORMA: dict[str, Any] = {
    "lines": [
        {
            "service_line": "sports_clearance",
            "monthly_visits": 120,
            "revenue_per_visit": "85.00",
            "variable_cost_per_visit": "22.50",
        },
        {
            "service_line": "school_physical",
            "monthly_visits": 40,
            "revenue_per_visit": "60.00",
            "variable_cost_per_visit": "15.00",
        },
    ],
    "fixed_monthly_cost": "4200.00",
    "startup_cost": "18000.00",
}
# 120 * (85 - 22.5) + 40 * (60 - 15) - 4200 = 7500 + 1800 - 4200 = 5100; 18000 / 5100 -> 4
MARGIN, PAYBACK = "5100.00", 4


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def propose_site(mso: TestClient, name: str = "Eastside HS", **extra: Any) -> dict[str, Any]:
    body = {"name": name, "kind": "campus", "address": "1 Main St", **extra}
    return ok(mso.post("/sites", json=body, headers=ADMIN), 201)


def ready_site(mso: TestClient, name: str = "Eastside HS") -> dict[str, Any]:
    """A site in readying with every checklist item met and a pro forma."""
    site = propose_site(mso, name, pro_forma=PRO_FORMA)
    return make_ready(mso, site["id"])


def make_ready(mso: TestClient, site_id: str) -> dict[str, Any]:
    """A proposed site into readying, every checklist item met (it may still lack a pro forma)."""
    site = ok(mso.post(f"/sites/{site_id}/readiness", headers=ADMIN))
    for item in ITEMS:
        evidence = {"met": True, "document_ref": f"DOC-{item}", "note": f"{item} done"}
        site = ok(mso.put(f"/sites/{site_id}/checklist/{item}", json=evidence, headers=ADMIN))
    return site


def request_go_live(pair: Pair, site_id: str) -> str:
    """Submit the go-live; deliver it; return the PC authorization it became."""
    ok(
        pair.mso.post(
            f"/sites/{site_id}/go-live-requests",
            json={"summary": "Ready for the fall season"},
            headers=ADMIN,
        ),
        201,
    )
    pair.sync()
    pending = ok(
        pair.pc.get(
            "/authorizations",
            params={"kind": "site_go_live", "site_id": site_id, "status": "pending"},
            headers=DIRECTOR,
        )
    )["items"]
    assert len(pending) == 1, pending
    return str(pending[0]["id"])


def decide(pair: Pair, authorization_id: str, decision: str, **body: Any) -> dict[str, Any]:
    if decision == "approve":
        payload = {"effective_date": "2026-01-01", "basis": MD_ACT, **body}
    else:
        payload = {"reason": f"{decision}: see the minutes", "basis": MD_ACT, **body}
    return ok(
        pair.pc.post(
            f"/authorizations/{authorization_id}/{decision}", json=payload, headers=DIRECTOR
        )
    )


def live_site(pair: Pair, name: str = "Eastside HS") -> str:
    """A site taken to live through the PC's approval."""
    site_id = str(ready_site(pair.mso, name)["id"])
    open_approved(pair, site_id)
    return site_id


def go_live(pair: Pair, site_id: str) -> str:
    """A proposed site taken live the real way: checklist evidence and pro forma, go-live
    request, the Medical Director's approval through the PC's feed, the MSO opening it."""
    make_ready(pair.mso, site_id)
    ok(pair.mso.put(f"/sites/{site_id}/pro-forma", json=PRO_FORMA, headers=ADMIN))
    return open_approved(pair, site_id)


def open_approved(pair: Pair, site_id: str) -> str:
    """Request the go-live of a ready site, approve it at the PC, open it; the authorization."""
    authorization_id = request_go_live(pair, site_id)
    decide(pair, authorization_id, "approve")
    pair.sync()
    ok(pair.mso.post(f"/sites/{site_id}/go-live", headers=ADMIN))
    return authorization_id


HOURS = {
    "aspect": "hours",
    "proposed": "Mon-Sat 07:30-18:00",
    "description": "Saturday clinics for the sports season",
}


def request_change(pair: Pair, site_id: str, body: dict[str, Any] = HOURS) -> tuple[str, str]:
    """The change's id, and the PC authorization it became once delivered."""
    change = ok(pair.mso.post(f"/sites/{site_id}/changes", json=body, headers=ADMIN), 201)
    assert change["status"] == "requested"
    pair.sync()
    received = ok(
        pair.pc.get(
            "/authorizations",
            params={"kind": "material_change", "status": "pending", "site_id": site_id},
            headers=DIRECTOR,
        )
    )["items"]
    assert [a["request_id"] for a in received] == [change["id"]]
    return str(change["id"]), str(received[0]["id"])


def site(mso: TestClient, site_id: str) -> dict[str, Any]:
    return ok(mso.get(f"/sites/{site_id}", headers=ADMIN))
