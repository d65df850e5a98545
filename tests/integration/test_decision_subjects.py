"""A decision decides one thing, and is usable the moment it is made (docs/adr/0019).

Run with the projections off (the pair's default): a command that read the decision
log's read model would not find a decision carried a moment ago.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from mhg.meta import Meta
from tests.conftest import StoreUrl
from tests.integration.meeting_helpers import (
    AT,
    PHYSICIAN,
    about,
    carry,
    cited,
    post,
    problem,
    recorded,
    schedule,
    seat_members,
)
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import DIRECTOR, MD_ACT, ok, ready_site, request_go_live
from tests.integration.test_pc_visit_templates import create as create_template
from tests.integration.test_pc_visit_templates import day

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

META = Meta("dr-lee", "medical_director", "pc", "req", "corr", "cause")


def in_session(pair: Pair, kind: str, reference: str, title: str) -> tuple[str, str]:
    """A meeting in session with one agenda item: (meeting id, item id)."""
    meeting_id = schedule(pair.pc, "2026-11")["id"]
    seat_members(pair.pc, meeting_id)
    agenda = post(
        pair.pc,
        f"/meetings/{meeting_id}/agenda",
        {"kind": kind, "reference": reference, "title": title},
        PHYSICIAN,
    )["agenda"]
    post(pair.pc, f"/meetings/{meeting_id}/open", {"at": AT})
    return meeting_id, agenda[0]["item_id"]


def approve(pair: Pair, authorization_id: str, basis: dict[str, Any]) -> Any:
    return pair.pc.post(
        f"/authorizations/{authorization_id}/approve",
        json={"effective_date": "2026-12-01", "basis": basis},
        headers=DIRECTOR,
    )


def decisions(pair: Pair, authorization_id: str) -> list[Any]:
    return list(
        ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))["decisions"]
    )


def test_a_motion_on_eastside_cannot_approve_westside_and_is_usable_at_once(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        east = request_go_live(pair, ready_site(pair.mso, "Eastside campus")["id"])
        west = request_go_live(pair, ready_site(pair.mso, "Westside campus")["id"])
        meeting_id, item_id = in_session(
            pair, "authorization_request", east, "Approve go-live of the Eastside campus site"
        )
        [motion] = post(
            pair.pc,
            f"/meetings/{meeting_id}/motions",
            {"agenda_item_id": item_id, "text": "Approve Eastside", "moved_by": "dr-kim"},
            PHYSICIAN,
        )["motions"]
        assert motion["subject"] == about("authorization", east)  # from the agenda item
        decision_id = carry(pair.pc, meeting_id, item_id, "Approve go-live of the Eastside site")
        # the decision log's read model has not seen it: the projections are not caught up
        assert ok(pair.pc.get("/decisions", headers=DIRECTOR))["items"] == []

        refused = problem(approve(pair, west, cited(decision_id)), 422, "decision-subject-mismatch")
        assert east in refused["detail"]
        assert west in refused["detail"]
        assert decisions(pair, west) == []

        approved = approve(pair, east, cited(decision_id))
        assert approved.status_code == 200, approved.text
        assert approved.json()["decisions"][-1]["basis"] == recorded(
            cited(decision_id), "authorization", east
        )
        pair.sync()
        [logged] = ok(pair.pc.get("/decisions", headers=DIRECTOR))["items"]
        assert logged["decision_id"] == decision_id


def test_a_motion_without_subject_decides_no_item_and_a_site_motion_its_go_live(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = ready_site(pair.mso, "Westside campus")["id"]
        west = request_go_live(pair, site_id)
        meeting_id, item_id = in_session(pair, "other", "GM-11 item 2", "Campus openings")
        unspecific = carry(pair.pc, meeting_id, item_id, "Open the campuses")
        refused = problem(approve(pair, west, cited(unspecific)), 422, "decision-subject-mismatch")
        assert "names no subject" in refused["detail"]
        wrong = post(
            pair.pc,
            f"/meetings/{meeting_id}/agenda",
            {"kind": "other", "reference": "GM-11 item 3", "title": "Another site"},
            PHYSICIAN,
        )["agenda"][-1]["item_id"]
        other_site = carry(
            pair.pc,
            meeting_id,
            wrong,
            "Go live elsewhere",
            about("site", west),  # an auth id
        )
        problem(approve(pair, west, cited(other_site)), 422, "decision-subject-mismatch")
        site_item = post(
            pair.pc,
            f"/meetings/{meeting_id}/agenda",
            {"kind": "other", "reference": "GM-11 item 4", "title": "Westside go-live"},
            PHYSICIAN,
        )["agenda"][-1]["item_id"]
        by_site = carry(
            pair.pc, meeting_id, site_item, "Westside goes live", about("site", site_id)
        )
        assert decisions(pair, west) == []
        assert approve(pair, west, cited(by_site)).status_code == 200


def test_a_subject_must_name_an_item(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        meeting_id, item_id = in_session(pair, "other", "GM-11 item 1", "Anything")
        for subject in ({"kind": "site", "id": "Eastside"}, {"kind": "service_line", "id": "x"}):
            response = pair.pc.post(
                f"/meetings/{meeting_id}/motions",
                json={
                    "agenda_item_id": item_id,
                    "text": "t",
                    "moved_by": "dr-kim",
                    "subject": subject,
                },
                headers=PHYSICIAN,
            )
            problem(response, 422, "invalid-meeting")
        response = pair.pc.post(
            f"/meetings/{meeting_id}/motions",
            json={
                "agenda_item_id": item_id,
                "text": "t",
                "moved_by": "dr-kim",
                "subject": {"kind": "patient", "id": "p-1"},
            },
            headers=PHYSICIAN,
        )
        assert response.status_code == 422
        assert ok(pair.pc.get(f"/meetings/{meeting_id}", headers=DIRECTOR))["motions"] == []


def test_a_medical_director_act_names_what_it_decides(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        east = request_go_live(pair, ready_site(pair.mso, "Eastside campus")["id"])
        west = request_go_live(pair, ready_site(pair.mso, "Westside campus")["id"])
        elsewhere = {**MD_ACT, "subject": about("authorization", east)}
        refused = problem(approve(pair, west, elsewhere), 422, "decision-subject-mismatch")
        assert refused["detail"].startswith(f"the basis names authorization {east}")
        assert decisions(pair, west) == []
        named = {**MD_ACT, "subject": about("authorization", west)}
        assert approve(pair, west, named).json()["decisions"][-1]["basis"] == recorded(
            MD_ACT, "authorization", west
        )
        # without a subject (as before ADR 0019) the route's item is recorded as the subject
        assert approve(pair, east, MD_ACT).json()["decisions"][-1]["basis"] == recorded(
            MD_ACT, "authorization", east
        )


def test_a_visit_template_rests_on_a_motion_about_that_template(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        first, second = create_template(pair), create_template(pair)
        meeting_id, item_id = in_session(
            pair, "visit_template_draft", f"{first}/1", "Sports clearance v1"
        )
        decision_id = carry(pair.pc, meeting_id, item_id, "Approve the template")
        body = {"effective_from": day(1), "basis": cited(decision_id)}
        refused = pair.pc.post(
            f"/visit-templates/{second}/versions/1/approve", json=body, headers=DIRECTOR
        )
        problem(refused, 422, "decision-subject-mismatch")
        approved = pair.pc.post(
            f"/visit-templates/{first}/versions/1/approve", json=body, headers=DIRECTOR
        )
        assert approved.status_code == 200, approved.text


def test_a_decision_carried_before_decision_entries_still_resolves(store_url: StoreUrl) -> None:
    """A motion carried by the old code (no LoggedDecision saved) resolves via its meeting."""
    with service_pair(store_url) as pair:
        east = request_go_live(pair, ready_site(pair.mso, "Eastside campus")["id"])
        west = request_go_live(pair, ready_site(pair.mso, "Westside campus")["id"])
        meeting_id, item_id = in_session(pair, "authorization_request", east, "Eastside")
        [motion] = post(
            pair.pc,
            f"/meetings/{meeting_id}/motions",
            {"agenda_item_id": item_id, "text": "Approve Eastside", "moved_by": "dr-kim"},
            PHYSICIAN,
        )["motions"]
        base = f"/meetings/{meeting_id}/motions/{motion['motion_id']}/votes"
        for voter in ("dr-lee", "dr-kim", "np-ray"):
            post(pair.pc, base, {"voter": voter, "choice": "for"}, PHYSICIAN)
        gov = pair.pc_runtime.application
        meeting = gov.meetings.meeting(UUID(meeting_id))
        meeting.decide_motion(UUID(motion["motion_id"]), at=datetime.now(UTC), meta=META)
        gov.record(meeting)  # the meeting alone, as before ADR 0019
        [carried] = meeting.decisions
        decision_id = str(carried.decision_id)
        problem(approve(pair, east, cited(decision_id)), 422, "meeting-decision-not-found")
        pair.sync()  # the decision log's read model names its meeting
        problem(approve(pair, west, cited(decision_id)), 422, "decision-subject-mismatch")
        assert approve(pair, east, cited(decision_id)).status_code == 200
