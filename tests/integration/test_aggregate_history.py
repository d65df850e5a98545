"""Aggregate histories over HTTP, on each backend: every event, who and when, nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR
from tests.integration.meeting_helpers import held_meeting
from tests.integration.services import service_pair
from tests.integration.test_governed_flow import booking, propose_line, request_authorization
from tests.integration.test_provenance import approved_protocol

pytestmark = pytest.mark.storage

MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-1"}


def history(client: Any, path: str, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(f"{path}/history", params=params, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def types(page: dict[str, Any]) -> list[str]:
    return [item["type"] for item in page["items"]]


def test_mso_histories_list_every_event_with_its_actor_and_never_the_patient(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        pair.pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={"effective_date": "2026-12-01", "basis": MD_ACT},
            headers={**DIRECTOR, "X-Correlation-ID": "corr-approve"},
        )
        pair.sync()
        booked = pair.mso.post(
            "/appointments",
            json=booking(site_id),
            headers={**ADMIN, "X-Request-ID": "req-book", "X-Correlation-ID": "corr-book"},
        )
        assert booked.status_code == 201, booked.text
        appointment = f"/appointments/{booked.json()['id']}"
        cancelled = pair.mso.post(
            f"{appointment}/cancel", json={"reason": "moved away"}, headers=ADMIN
        )
        assert cancelled.status_code == 200, cancelled.text

        site = history(pair.mso, f"/sites/{site_id}", AUDITOR)
        assert types(site) == [
            "Proposed",
            "ReadinessStarted",
            *["ChecklistEvidenceRecorded"] * 7,
            "ProFormaSet",
            "GoLiveRequested",
            "GoLiveApproved",  # the PC's approval, through its feed
            "Opened",
        ]
        assert (site["items"][0]["version"], site["items"][0]["actor_id"]) == (1, "ann")

        line_path = f"/sites/{site_id}/service-lines/sports_clearance"
        line = history(pair.mso, line_path, ADMIN)
        assert types(line) == ["Proposed", "AuthorizationRequested", "AuthorizationApproved"]
        approved = line["items"][2]
        assert (approved["actor_id"], approved["actor_role"], approved["actor_org"]) == (
            "dr-lee",
            "medical_director",
            "pc",
        )
        assert approved["correlation_id"] == "corr-approve"
        assert approved["request_id"].startswith("mso-ops:pc-governance:")
        assert [i["version"] for i in line["items"]] == [1, 2, 3]

        visit = pair.mso.get(f"{appointment}/history", headers=ADMIN)
        assert visit.status_code == 200
        entries = visit.json()["items"]
        assert [e["type"] for e in entries] == ["Booked", "Cancelled"]
        assert entries[0] | {"recorded_at": None} == {
            "version": 1,
            "type": "Booked",
            "recorded_at": None,
            "actor_id": "ann",
            "actor_role": "mso_admin",
            "actor_org": "mso",
            "request_id": "req-book",
            "correlation_id": "corr-book",
            "causation_id": "req-book",
        }
        for patient_data in ("Pat Doe", "2010-04-01", "555-0100", "Eastside HS athletics"):
            assert patient_data not in visit.text

        first = history(pair.mso, line_path, ADMIN, limit=2)
        assert types(first) == ["Proposed", "AuthorizationRequested"]
        rest = history(pair.mso, line_path, ADMIN, limit=2, cursor=first["next_cursor"])
        assert (types(rest), rest["next_cursor"]) == (["AuthorizationApproved"], None)
        only = history(pair.mso, line_path, ADMIN, type=["AuthorizationApproved", "Proposed"])
        assert types(only) == ["Proposed", "AuthorizationApproved"]
        approved_at = datetime.fromisoformat(approved["recorded_at"])
        before = history(pair.mso, line_path, ADMIN, recorded_before=approved_at.isoformat())
        assert types(before) == ["Proposed", "AuthorizationRequested"]
        since = history(pair.mso, line_path, ADMIN, recorded_from=approved_at.isoformat())
        assert types(since) == ["AuthorizationApproved"]


def test_mso_histories_refuse_what_the_record_refuses(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        pair.pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={"effective_date": "2026-12-01", "basis": MD_ACT},
            headers=DIRECTOR,
        )
        pair.sync()
        acme = auth("vendor", "acme", sites=(site_id,))
        booked = pair.mso.post("/appointments", json=booking(site_id), headers=acme)
        appointment = f"/appointments/{booked.json()['id']}/history"

        assert pair.mso.get(appointment).status_code == 401
        assert pair.mso.get(appointment, headers=auth("mso_billing", "bo")).status_code == 403
        assert pair.mso.get(f"/sites/{site_id}/history", headers=DIRECTOR).status_code == 403
        outside = pair.mso.get(appointment, headers=auth("vendor", "acme", sites=("x",)))
        assert outside.json()["type"] == "/problems/site-not-in-scope"
        inside = pair.mso.get(appointment, headers=acme)
        assert inside.status_code == 200
        not_its_booking = pair.mso.get(
            appointment, headers=auth("vendor", "other", sites=(site_id,))
        )
        assert not_its_booking.json()["type"] == "/problems/appointment-not-found"
        not_a_site = pair.mso.get(f"/sites/{booked.json()['id']}/history", headers=ADMIN)
        assert not_a_site.json()["type"] == "/problems/site-not-found"
        not_booked = pair.mso.get(f"/appointments/{site_id}/history", headers=ADMIN)
        assert not_booked.json()["type"] == "/problems/appointment-not-found"
        no_line = pair.mso.get(
            f"/sites/{site_id}/service-lines/school_physical/history", headers=ADMIN
        )
        assert no_line.json()["type"] == "/problems/service-line-not-found"
        for bad in (
            {"cursor": "not-a-cursor"},
            {"limit": 0},
            {"recorded_from": "2026-01-01T00:00"},
        ):
            response = pair.mso.get(f"/sites/{site_id}/history", params=bad, headers=ADMIN)
            assert response.status_code in (400, 422), (bad, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")


def test_pc_histories_of_each_kind_of_governance_record(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        authorization_id = request_authorization(pair, propose_line(pair, live=True))
        pair.pc.post(
            f"/authorizations/{authorization_id}/deny",
            json={"reason": "not ready", "basis": MD_ACT},
            headers=DIRECTOR,
        )
        meeting_id, _ = held_meeting(pair.pc, "2026-11")
        protocol_id = approved_protocol(pair, "Sports clearance")
        clinician = pair.pc.post(
            "/clinicians",
            json={"npi": "1234567893", "name": "Dr. Ada Ng", "role": "physician"},
            headers=DIRECTOR,
        )
        assert clinician.status_code == 201, clinician.text
        action = pair.pc.post(
            "/corrective-actions",
            json={
                "title": "Re-train",
                "description": "Two charts incomplete",
                "owner": "pc",
                "assignee": "Clinic lead",
                "due_on": datetime.now(UTC).date().replace(year=2030).isoformat(),
                "source": {"kind": "audit", "reference": "AUD-1"},
            },
            headers=DIRECTOR,
        )
        assert action.status_code == 201, action.text

        denied = history(pair.pc, f"/authorizations/{authorization_id}", AUDITOR)
        assert types(denied) == ["Requested", "Denied"]
        assert denied["items"][0]["actor_org"] == "mso"
        assert denied["items"][1]["actor_id"] == "dr-lee"
        meeting = history(pair.pc, f"/meetings/{meeting_id}", DIRECTOR)
        assert types(meeting)[0] == "Scheduled"
        assert "MotionCarried" in types(meeting)
        assert types(history(pair.pc, f"/protocols/{protocol_id}", DIRECTOR))[0] == "Created"
        clinician_path = f"/clinicians/{clinician.json()['id']}"
        assert len(history(pair.pc, clinician_path, DIRECTOR)["items"]) == 1
        action_path = f"/corrective-actions/{action.json()['id']}"
        assert len(history(pair.pc, action_path, AUDITOR)["items"]) == 1

        assert pair.pc.get(f"/meetings/{meeting_id}/history", headers=ADMIN).status_code == 403
        wrong = pair.pc.get(f"/protocols/{meeting_id}/history", headers=DIRECTOR)
        assert wrong.json()["type"] == "/problems/protocol-not-found"
