"""Readiness standards over HTTP: the PC drafts, approves and retires them; the MSO's
checklist is the version in force, and each request carries the version it met."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR
from tests.integration.meeting_helpers import about, held_meeting, recorded
from tests.integration.services import Pair
from tests.integration.site_helpers import MD_ACT, ok
from tests.integration.test_pc_protocols import problem

PHYSICIAN = auth("physician", "dr-roe")
QUALITY = auth("pc_quality", "quinn")
GO_LIVE_ITEMS: list[dict[str, Any]] = [
    {"key": "lease", "text": "Lease signed", "evidence_required": True},
    {"key": "fire_inspection", "text": "Fire marshal sign-off", "evidence_required": True},
    {"key": "signage", "text": "Hours and the PC's name posted", "evidence_required": False},
]
LINE_ITEMS: list[dict[str, Any]] = [
    {"key": "room", "text": "A private exam room", "evidence_required": False},
    {"key": "ecg", "text": "ECG on site, calibrated", "evidence_required": True},
]


def draft(pair: Pair, headers: dict[str, str] = PHYSICIAN, **body: Any) -> Any:
    payload = {"kind": "site_go_live", "items": GO_LIVE_ITEMS, **body}
    return pair.pc.post("/readiness-standards", json=payload, headers=headers)


def approve(pair: Pair, sid: str, number: int, headers: dict[str, str] = DIRECTOR) -> Any:
    return pair.pc.post(
        f"/readiness-standards/{sid}/versions/{number}/approve",
        json={"basis": MD_ACT},
        headers=headers,
    )


def approved_standard(pair: Pair, **body: Any) -> str:
    sid = str(ok(draft(pair, **body), 201)["id"])
    ok(approve(pair, sid, 1))
    return sid


def test_a_standard_is_drafted_approved_superseded_and_retired(pair: Pair) -> None:
    created = draft(pair)
    sid = ok(created, 201)["id"]
    assert created.headers["location"] == f"/readiness-standards/{sid}"
    assert created.json()["status"] == "draft"
    problem(draft(pair), 409, "readiness-standard-exists")  # one standard per subject

    problem(approve(pair, sid, 1, headers=PHYSICIAN), 403, "forbidden")
    problem(approve(pair, sid, 1, headers=QUALITY), 403, "forbidden")
    one = ok(approve(pair, sid, 1))
    assert (one["status"], one["version_in_force"]) == ("approved", 1)
    assert one["versions"][0]["basis"]["subject_kind"] == "readiness_standard"
    problem(approve(pair, sid, 1), 409, "invalid-readiness-standard-transition")

    revised = [*GO_LIVE_ITEMS, {"key": "parking", "text": "Parking", "evidence_required": False}]
    two = pair.pc.post(
        f"/readiness-standards/{sid}/versions", json={"items": revised}, headers=PHYSICIAN
    )
    assert ok(two, 201)["versions"][1]["status"] == "draft"
    ok(approve(pair, sid, 2))
    shown = ok(pair.pc.get(f"/readiness-standards/{sid}", headers=AUDITOR))
    assert [v["status"] for v in shown["versions"]] == ["superseded", "approved"]
    in_force = ok(
        pair.pc.get(
            "/readiness-standards/in-force", params={"kind": "site_go_live"}, headers=AUDITOR
        )
    )
    assert (in_force["version"], len(in_force["items"])) == (2, 4)

    retire = {"reason": "the county's new standard", "basis": MD_ACT}
    problem(
        pair.pc.post(f"/readiness-standards/{sid}/retire", json=retire, headers=PHYSICIAN),
        403,
        "forbidden",
    )
    retired = ok(pair.pc.post(f"/readiness-standards/{sid}/retire", json=retire, headers=DIRECTOR))
    assert (retired["status"], retired["version_in_force"]) == ("retired", None)
    problem(
        pair.pc.get(
            "/readiness-standards/in-force", params={"kind": "site_go_live"}, headers=AUDITOR
        ),
        404,
        "readiness-standard-not-found",
    )
    pair.pc_runtime.projections.catch_up()
    rows = ok(pair.pc.get("/readiness-standards", params={"status": "retired"}, headers=AUDITOR))
    assert [(r["id"], r["latest_version"]) for r in rows["items"]] == [(sid, 2)]


def test_a_standard_refuses_what_it_cannot_judge(pair: Pair) -> None:
    repeated = [GO_LIVE_ITEMS[0], GO_LIVE_ITEMS[0]]
    problem(draft(pair, items=repeated), 422, "invalid-readiness-standard")
    problem(draft(pair, kind="service_line"), 422, "invalid-readiness-standard")
    assert draft(pair, items=[]).status_code == 422
    assert draft(pair, items=[{**GO_LIVE_ITEMS[0], "key": "Bad Key"}]).status_code == 422
    assert draft(pair, headers=ADMIN).status_code in (401, 403)  # an MSO role decides nothing
    bad_basis = {"basis": {"kind": "meeting_decision", "reference": "not-a-decision"}}
    sid = ok(draft(pair), 201)["id"]
    refused = pair.pc.post(
        f"/readiness-standards/{sid}/versions/1/approve", json=bad_basis, headers=DIRECTOR
    )
    assert refused.status_code == 422, refused.text


def test_a_standard_is_approved_on_a_motion_carried_about_it(pair: Pair) -> None:
    sid = ok(draft(pair), 201)["id"]
    _, elsewhere = held_meeting(pair.pc, "2026-10", subject=about("site", sid))
    _, decision_id = held_meeting(pair.pc, "2026-11", subject=about("readiness_standard", sid))
    url = f"/readiness-standards/{sid}/versions/1/approve"

    def basis(reference: str) -> dict[str, Any]:
        return {"basis": {"kind": "meeting_decision", "reference": reference}}

    problem(
        pair.pc.post(url, json=basis(elsewhere), headers=DIRECTOR),
        422,
        "decision-subject-mismatch",
    )
    approved = ok(pair.pc.post(url, json=basis(decision_id), headers=DIRECTOR))
    cited = {"kind": "meeting_decision", "reference": decision_id}
    assert approved["versions"][0]["basis"] == recorded(cited, "readiness_standard", sid)
