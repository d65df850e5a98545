"""The requests the end-to-end tests make, with the bodies of the in-process flow."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import auth
from tests.e2e.harness import wait_until

ADMIN = auth("mso_admin", "ann")
DIRECTOR = auth("medical_director", "dr-lee")
FEED_READER = auth("service", "pc-governance", org="service")
BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
REVOKE_BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-2026-017"}
LINE = "sports_clearance"
FEED_WAIT = 20.0
ITEMS = ("lease", "equipment", "staffing_plan", "it", "vendors", "lab_courier", "forms")
PRO_FORMA = {
    "lines": [
        {
            "service_line": "sports_clearance",
            "monthly_visits": 120,
            "revenue_per_visit": "85.00",
            "variable_cost_per_visit": "22.50",
        }
    ],
    "fixed_monthly_cost": "4200.00",
    "startup_cost": "18000.00",
}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def create_site(mso: httpx.Client, name: str = "Eastside HS") -> str:
    site = mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert site.status_code == 201, site.text
    return str(site.json()["id"])


def go_live(
    mso: httpx.Client, pc: httpx.Client, site_id: str, effective: str = "2020-01-01"
) -> tuple[str, str]:
    """A proposed site taken live: checklist evidence and pro forma, the go-live request
    through the MSO's feed, the Medical Director's approval back through the PC's feed, the
    MSO opening it. The go-live authorization id and the approval's decision id."""
    ok(mso.post(f"/sites/{site_id}/readiness", headers=ADMIN))
    for item in ITEMS:
        evidence = {"met": True, "document_ref": f"DOC-{item}"}
        ok(mso.put(f"/sites/{site_id}/checklist/{item}", json=evidence, headers=ADMIN))
    ok(mso.put(f"/sites/{site_id}/pro-forma", json=PRO_FORMA, headers=ADMIN))
    body = {"summary": "every readiness item met"}
    ok(mso.post(f"/sites/{site_id}/go-live-requests", json=body, headers=ADMIN), 201)

    def requested() -> str | None:
        params = {"kind": "site_go_live", "site_id": site_id, "status": "pending"}
        items = ok(pc.get("/authorizations", params=params, headers=DIRECTOR))["items"]
        return str(items[0]["id"]) if items else None

    authorization_id = wait_until(requested, FEED_WAIT, message="the go-live request at the PC")
    decision = {"effective_date": effective, "basis": BASIS}
    approved = ok(
        pc.post(f"/authorizations/{authorization_id}/approve", json=decision, headers=DIRECTOR)
    )

    def arrived() -> bool:
        return bool(ok(mso.get(f"/sites/{site_id}", headers=ADMIN))["status"] == "approved")

    wait_until(arrived, FEED_WAIT, message="the go-live approval at the MSO")
    assert ok(mso.post(f"/sites/{site_id}/go-live", headers=ADMIN))["status"] == "live"
    return authorization_id, str(approved["decisions"][-1]["decision_id"])


def propose_line(mso: httpx.Client, site_id: str) -> None:
    line = mso.post(f"/sites/{site_id}/service-lines", json={"code": LINE}, headers=ADMIN)
    assert line.status_code == 201, line.text


def request_authorization(mso: httpx.Client, site_id: str) -> httpx.Response:
    response = mso.post(
        f"/sites/{site_id}/service-lines/{LINE}/authorization-requests",
        json={
            "readiness": {"summary": "ready", "checklist": [{"item": "lease signed", "met": True}]}
        },
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    return response


def booking(site_id: str, start: str = "2027-01-10T10:00:00Z") -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": LINE,
        "start": start,
        "patient": {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"},
        "requested_by": "Eastside HS athletics",
    }


def authorizations(
    pc: httpx.Client, status: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    params = {"status": status} if status else {}
    if kind:
        params["kind"] = kind
    response = pc.get("/authorizations", params=params, headers=DIRECTOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def service_line(mso: httpx.Client, site_id: str) -> dict[str, Any]:
    response = mso.get(f"/sites/{site_id}/service-lines/{LINE}", headers=ADMIN)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def feed_page(client: httpx.Client, after: int = 0, limit: int = 100) -> dict[str, Any]:
    response = client.get(
        "/contracts/v1/feed", params={"after": after, "limit": limit}, headers=FEED_READER
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
