"""The requests the end-to-end tests make, with the bodies of the in-process flow."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import auth

ADMIN = auth("mso_admin", "ann")
DIRECTOR = auth("medical_director", "dr-lee")
FEED_READER = auth("service", "pc-governance", org="service")
BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
REVOKE_BASIS = {"kind": "meeting_decision", "reference": "GM-11 #3"}
LINE = "sports_clearance"


def create_site(mso: httpx.Client, name: str = "Eastside HS") -> str:
    site = mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert site.status_code == 201, site.text
    return str(site.json()["id"])


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


def authorizations(pc: httpx.Client, status: str | None = None) -> list[dict[str, Any]]:
    params = {"status": status} if status else {}
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
