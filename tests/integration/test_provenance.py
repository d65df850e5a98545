"""Provenance over HTTP, across both services: from a booking to the meeting decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from contracts import Envelope
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR
from tests.integration.meeting_helpers import about, held_meeting, meeting_basis
from tests.integration.services import Pair, service_pair
from tests.integration.test_governed_flow import booking, propose_line, request_authorization

pytestmark = pytest.mark.storage

SERVICE = auth("service", "mso-ops")
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-2026-014"}


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def approved_protocol(pair: Pair, title: str) -> str:
    today = datetime.now(UTC).date().isoformat()
    created = pair.pc.post(
        "/protocols",
        json={
            "title": title,
            "type": "protocol",
            "service_lines": ["sports_clearance"],
            "site_ids": None,
            "body": "Auscultate heart and lungs; refer murmurs.",
        },
        headers=DIRECTOR,
    )
    assert created.status_code == 201, created.text
    protocol_id = str(created.json()["id"])
    ok(
        pair.pc.post(
            f"/protocols/{protocol_id}/versions/1/approve",
            json={"effective_from": today},
            headers=DIRECTOR,
        )
    )
    return protocol_id


def pc_feed(pair: Pair) -> list[Envelope]:
    page = ok(pair.pc.get("/contracts/v1/feed", params={"after": 0}, headers=SERVICE))
    return [Envelope.model_validate(m) for m in page["messages"]]


def book(pair: Pair, site_id: str, headers: dict[str, str] = ADMIN) -> str:
    booked = pair.mso.post("/appointments", json=booking(site_id), headers=headers)
    assert booked.status_code == 201, booked.text
    return str(booked.json()["id"])


def test_a_booking_resolves_to_the_meeting_decision_that_authorized_its_line(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        protocol_id = approved_protocol(pair, "Sports clearance")
        meeting_id, meeting_decision = held_meeting(
            pair.pc, "2026-11", "authorization_request", about("authorization", authorization_id)
        )
        drafted = pair.pc.put(
            f"/meetings/{meeting_id}/minutes", json={"text": "Approved it."}, headers=DIRECTOR
        )
        assert drafted.status_code == 200, drafted.text
        pair.sync()  # the decision log's read model holds the carried motion
        approval = ok(
            pair.pc.post(
                f"/authorizations/{authorization_id}/approve",
                json={
                    "effective_date": "2026-12-01",
                    "protocol_refs": ["Sports clearance v1", "unknown-protocol v9"],
                    "basis": {"kind": "meeting_decision", "reference": meeting_decision},
                },
                headers=DIRECTOR,
            )
        )
        decision_id = approval["decisions"][-1]["decision_id"]
        pair.sync()
        appointment_id = book(pair, site_id)

        chain = ok(pair.mso.get(f"/provenance/appointment/{appointment_id}", headers=AUDITOR))
        assert (chain["kind"], chain["id"], chain["status"]) == (
            "appointment",
            appointment_id,
            "booked",
        )
        assert (chain["authorization_id"], chain["decision_id"]) == (authorization_id, decision_id)
        [message] = [m for m in pc_feed(pair) if m.payload.get("decision_id") == decision_id]
        arrived = chain["arrived_through"]
        assert arrived["producer"] == "pc-governance"
        assert (arrived["position"], arrived["message_id"]) == (
            message.position,
            str(message.message_id),
        )
        assert arrived["event"] == "AuthorizationApproved"
        assert [d["decision_id"] for d in chain["decisions"]] == [decision_id]
        path = chain["pc_provenance_path"]
        assert path == f"/provenance/authorizations/{authorization_id}"

        basis = ok(pair.pc.get(path, headers=AUDITOR))
        assert (basis["authorization_id"], basis["status"]) == (authorization_id, "approved")
        assert basis["requested_through"]["producer"] == "mso-ops"
        [decision] = basis["decisions"]
        assert (decision["decision_id"], decision["decision"]) == (decision_id, "approve")
        assert decision["published_as"]["message_id"] == arrived["message_id"]
        assert decision["published_as"]["message_type"] == "authorization.approved"
        assert decision["basis"]["resolved"] is True
        assert decision["basis"]["medical_director_act"] is None
        meeting = decision["basis"]["meeting_decision"]
        assert (meeting["meeting_id"], meeting["decision_id"]) == (meeting_id, meeting_decision)
        assert (meeting["motion"], meeting["period"]) == ("Approve it", "2026-11")
        assert meeting["tally"] == {"for": 3, "against": 0, "abstain": 0}
        assert meeting["votes"] == {"dr-lee": "for", "dr-kim": "for", "np-ray": "for"}
        assert (meeting["minutes_status"], meeting["agenda_item_kind"]) == (
            "draft",
            "authorization_request",
        )
        cited, unknown = decision["protocol_versions"]
        assert (cited["protocol_id"], cited["number"], cited["status"]) == (
            protocol_id,
            1,
            "approved",
        )
        assert cited["title"] == "Sports clearance"
        assert unknown == {
            "reference": "unknown-protocol v9",
            "protocol_id": None,
            "number": None,
            "title": None,
            "status": None,
            "effective_from": None,
            "ended_on": None,
        }


def test_a_line_and_its_site_follow_every_decision_that_reached_them(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        for step, body in (
            ("approve", {"effective_date": "2026-12-01", "basis": MD_ACT}),
            ("suspend", {"reason": "chart review", "basis": MD_ACT}),
            ("reinstate", {"reason": "retrained", "basis": MD_ACT}),
        ):
            ok(
                pair.pc.post(
                    f"/authorizations/{authorization_id}/{step}", json=body, headers=DIRECTOR
                )
            )
        pair.sync()
        line = ok(pair.mso.get(f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN))

        chain = ok(pair.mso.get(f"/provenance/service-line/{line['id']}", headers=ADMIN))
        assert (chain["kind"], chain["status"], chain["service_line"]) == (
            "service-line",
            "authorized",
            "sports_clearance",
        )
        assert [d["event"] for d in chain["decisions"]] == [
            "AuthorizationApproved",
            "AuthorizationWithdrawn",
            "AuthorizationReinstated",
        ]
        assert chain["arrived_through"] == chain["decisions"][-1]
        assert chain["decision_id"] == chain["decisions"][-1]["decision_id"]
        positions = [d["position"] for d in chain["decisions"]]
        assert positions == sorted(positions)

        site = ok(pair.mso.get(f"/provenance/site/{site_id}", headers=AUDITOR))
        assert (site["kind"], site["service_line"]) == ("site", None)
        assert [d["event"] for d in site["decisions"]] == ["GoLiveApproved"]
        assert site["decisions"][0]["authorization_id"] != authorization_id
        assert site["service_lines"] == [chain]

        basis = ok(pair.pc.get(f"/provenance/authorizations/{authorization_id}", headers=DIRECTOR))
        assert [d["decision"] for d in basis["decisions"]] == ["approve", "suspend", "reinstate"]
        published = [d["published_as"]["message_id"] for d in basis["decisions"]]
        assert published == [d["message_id"] for d in chain["decisions"]]
        act = basis["decisions"][0]["basis"]["medical_director_act"]
        assert act["reference"] == "MD-ACT-2026-014"
        assert (act["acted_by"], act["acted_as"]) == ("dr-lee", "medical_director")
        assert basis["decisions"][0]["basis"]["resolved"] is True


def test_provenance_is_read_by_the_records_own_readers_and_names_what_is_unknown(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        free_text = {"kind": "meeting_decision", "reference": "GM-2026-12 item 3"}
        refused(pair, authorization_id, "approve", free_text)
        meeting = meeting_basis(
            pair, "2026-12", "authorization_request", about("authorization", authorization_id)
        )
        ok(
            pair.pc.post(
                f"/authorizations/{authorization_id}/approve",
                json={"effective_date": "2026-12-01", "basis": meeting},
                headers=DIRECTOR,
            )
        )
        pair.sync()
        scoped = auth("vendor", "acme", sites=(site_id,))
        appointment_id = book(pair, site_id, scoped)
        path = f"/provenance/appointment/{appointment_id}"

        assert pair.mso.get(path).status_code == 401
        assert pair.mso.get(path, headers=auth("mso_billing", "bo")).status_code == 403
        assert pair.mso.get(path, headers=auth("physician", "dr-kim")).status_code == 403
        elsewhere = auth("vendor", "acme", sites=("another-site",))
        assert pair.mso.get(path, headers=elsewhere).json()["type"] == "/problems/site-not-in-scope"
        assert ok(pair.mso.get(path, headers=scoped))["authorization_id"] == authorization_id
        another_vendor = auth("vendor", "other", sites=(site_id,))
        assert pair.mso.get(path, headers=another_vendor).status_code == 404, "not its booking"
        for wrong in (f"/provenance/appointment/{site_id}", f"/provenance/site/{appointment_id}"):
            assert pair.mso.get(wrong, headers=ADMIN).status_code == 404
        assert pair.mso.get(f"/provenance/service-line/{site_id}", headers=ADMIN).status_code == 404
        assert pair.mso.get("/provenance/site/not-a-uuid", headers=ADMIN).status_code == 422

        pc_path = f"/provenance/authorizations/{authorization_id}"
        assert pair.pc.get(pc_path, headers=ADMIN).status_code == 403
        assert (
            pair.pc.get(f"/provenance/authorizations/{site_id}", headers=AUDITOR).status_code == 404
        )
        basis = ok(pair.pc.get(pc_path, headers=AUDITOR))["decisions"][0]["basis"]
        assert (basis["kind"], basis["reference"], basis["resolved"]) == (
            "meeting_decision",
            meeting["reference"],
            True,
        )
        assert basis["meeting_decision"]["decision_id"] == meeting["reference"]


def decision_body(step: str, basis: dict[str, str]) -> dict[str, Any]:
    """The body of a decision on an authorization: an approval has a date, others a reason."""
    detail = {"effective_date": "2026-12-01"} if step == "approve" else {"reason": step}
    return {"basis": basis, **detail}


def refused(pair: Pair, authorization_id: str, step: str, basis: dict[str, str]) -> None:
    """A meeting basis that names no carried motion is refused, and nothing is decided."""
    path = f"/authorizations/{authorization_id}"
    before = ok(pair.pc.get(path, headers=DIRECTOR))
    response = pair.pc.post(f"{path}/{step}", json=decision_body(step, basis), headers=DIRECTOR)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/meeting-decision-not-found"
    assert problem["field"] == "basis.reference"
    assert ok(pair.pc.get(path, headers=DIRECTOR)) == before


FREE_TEXT = ("GM-2026-11 item 3", "8d3a0f5e-7b0c-4c7e-9f5d-2a1b3c4d5e6f", "see the minutes")


def test_every_service_line_decision_resting_on_a_meeting_resolves_to_its_motion(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        authorization_id = request_authorization(pair, propose_line(pair, live=True))
        steps = [
            ("approve", "2026-08"),
            ("suspend", "2026-09"),
            ("reinstate", "2026-10"),
            ("revoke", "2026-11"),
            ("deny", "2026-12"),
        ]
        cited: dict[str, str] = {}
        for step, period in steps:
            if step == "deny":  # a second line's request, once the first is decided
                denied_id = request_authorization(pair, propose_line(pair, live=True))
            target = denied_id if step == "deny" else authorization_id
            for reference in FREE_TEXT:
                refused(pair, target, step, {"kind": "meeting_decision", "reference": reference})
            basis = meeting_basis(
                pair, period, "authorization_request", about("authorization", target)
            )
            ok(
                pair.pc.post(
                    f"/authorizations/{target}/{step}",
                    json=decision_body(step, basis),
                    headers=DIRECTOR,
                )
            )
            cited[step] = basis["reference"]

        resolved: dict[str, tuple[str, str]] = {}
        for target in (authorization_id, denied_id):
            trace = ok(pair.pc.get(f"/provenance/authorizations/{target}", headers=AUDITOR))
            for decision in trace["decisions"]:
                basis = decision["basis"]
                assert basis["resolved"] is True, decision
                meeting = basis["meeting_decision"]
                resolved[decision["decision"]] = (meeting["decision_id"], meeting["period"])
        assert resolved == {step: (cited[step], period) for step, period in steps}
