"""The governed flow in-process, on each backend: request, decide, book."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import StoreUrl
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import about, meeting_basis
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import go_live

pytestmark = pytest.mark.storage

BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-1"}


def propose_line(pair: Pair, *, live: bool = False) -> str:
    """A site with sports clearances proposed; `live`: the PC approved the site's go-live and
    the MSO opened it first (a site takes bookings only then)."""
    site = pair.mso.post(
        "/sites",
        json={"name": "Eastside HS", "kind": "campus", "address": "1 Main St"},
        headers=ADMIN,
    )
    assert site.status_code == 201, site.text
    site_id: str = site.json()["id"]
    if live:
        go_live(pair, site_id)
    line = pair.mso.post(
        f"/sites/{site_id}/service-lines", json={"code": "sports_clearance"}, headers=ADMIN
    )
    assert line.status_code == 201, line.text
    return site_id


def request_authorization(pair: Pair, site_id: str) -> str:
    response = pair.mso.post(
        f"/sites/{site_id}/service-lines/sports_clearance/authorization-requests",
        json={
            "readiness": {"summary": "ready", "checklist": [{"item": "lease signed", "met": True}]}
        },
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    pair.sync()
    pending = pair.pc.get("/authorizations", params={"status": "pending"}, headers=DIRECTOR).json()[
        "items"
    ]
    assert len(pending) == 1
    assert pending[0]["site_id"] == site_id
    return str(pending[0]["id"])


def booking(site_id: str, start: str = "2027-01-10T10:00:00Z") -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "start": start,
        "patient": {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"},
        "requested_by": "Eastside HS athletics",
    }


def test_booking_follows_the_pc_decisions(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        refused = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/service-line-not-authorized")

        authorization_id = request_authorization(pair, site_id)
        approved = pair.pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={"effective_date": "2026-12-01", "basis": BASIS, "protocol_refs": ["sports v3"]},
            headers=DIRECTOR,
        )
        assert approved.status_code == 200, approved.text
        decision_id = approved.json()["decisions"][-1]["decision_id"]

        still_refused = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert still_refused.status_code == 409, "the decision has not arrived through the feed yet"

        pair.sync()
        line = pair.mso.get(
            f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN
        ).json()
        assert line["status"] == "authorized"
        assert line["decision_id"] == decision_id

        too_early = pair.mso.post(
            "/appointments", json=booking(site_id, "2026-11-30T10:00:00Z"), headers=ADMIN
        )
        assert too_early.status_code == 409

        booked = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert booked.status_code == 201, booked.text
        assert booked.json()["authorization_id"] == authorization_id
        assert booked.json()["decision_id"] == decision_id

        meeting = meeting_basis(
            pair, "2026-12", "authorization_request", about("authorization", authorization_id)
        )
        revoked = pair.pc.post(
            f"/authorizations/{authorization_id}/revoke",
            json={"reason": "chart review findings", "basis": meeting},
            headers=DIRECTOR,
        )
        assert revoked.status_code == 200, revoked.text
        pair.sync()
        after = pair.mso.post(
            "/appointments", json=booking(site_id, "2027-02-01T10:00:00Z"), headers=ADMIN
        )
        assert after.status_code == 409
        assert after.json()["service_line_status"] == "revoked"


def test_a_denial_keeps_the_line_unbookable(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        denied = pair.pc.post(
            f"/authorizations/{authorization_id}/deny",
            json={"reason": "no supervising physician yet", "basis": BASIS},
            headers=DIRECTOR,
        )
        assert denied.status_code == 200, denied.text
        pair.sync()
        line = pair.mso.get(
            f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN
        ).json()
        assert line["status"] == "denied"
        refused = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/service-line-not-authorized")


def test_a_suspension_stops_bookings_until_the_pc_reinstates(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        url = f"/authorizations/{authorization_id}"
        approve = {"effective_date": "2026-01-01", "basis": BASIS}
        assert pair.pc.post(f"{url}/approve", json=approve, headers=DIRECTOR).status_code == 200
        why = {"reason": "supervising physician on leave", "basis": BASIS}
        assert pair.pc.post(f"{url}/suspend", json=why, headers=DIRECTOR).status_code == 200
        pair.sync()
        suspended = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert suspended.status_code == 409
        assert suspended.json()["service_line_status"] == "suspended"

        back = {"reason": "supervisor back", "basis": BASIS}
        reinstated = pair.pc.post(f"{url}/reinstate", json=back, headers=DIRECTOR)
        assert reinstated.status_code == 200, reinstated.text
        assert reinstated.json()["status"] == "approved"
        decision_id = reinstated.json()["decisions"][-1]["decision_id"]
        assert reinstated.json()["decisions"][-1]["decision"] == "reinstate"
        again = pair.pc.post(f"{url}/reinstate", json=back, headers=DIRECTOR)
        assert again.status_code == 409
        assert again.json()["type"] == "/problems/invalid-authorization-transition"

        pair.sync()
        line = pair.mso.get(
            f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN
        ).json()
        assert line["status"] == "authorized"
        assert line["decision_id"] == decision_id
        booked = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert booked.status_code == 201, booked.text
        assert booked.json()["decision_id"] == decision_id
        assert booked.json()["authorization_id"] == authorization_id
        approved_lines = {"status": "approved", "kind": "service_line"}
        listed = pair.pc.get("/authorizations", params=approved_lines, headers=DIRECTOR)
        assert [item["id"] for item in listed.json()["items"]] == [authorization_id]
