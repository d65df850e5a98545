"""A governance meeting held over HTTP, for tests that need a carried motion to cite."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair

PHYSICIAN = auth("physician", "dr-kim")
AT = "2026-11-05T18:00:00Z"
MEMBERS = [("dr-lee", "medical_director"), ("dr-kim", "physician"), ("np-ray", "app")]


def schedule(pc: TestClient, period: str = "2026-11", **quorum: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"period": period, "scheduled_for": f"{period}-05T18:00:00Z"}
    if quorum:
        body["quorum"] = quorum
    response = pc.post("/meetings", json=body, headers=DIRECTOR)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/meetings/{response.json()['id']}"
    return dict(response.json())


def post(pc: TestClient, path: str, body: dict[str, Any], who: dict[str, str] = DIRECTOR) -> Any:
    response = pc.post(path, json=body, headers=who)
    assert response.status_code == 200, response.text
    return response.json()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.json()["type"] == f"/problems/{code}", response.text
    return dict(response.json())


def seat_members(pc: TestClient, meeting_id: str) -> None:
    for person, role in MEMBERS:
        post(
            pc,
            f"/meetings/{meeting_id}/attendance",
            {"person_id": person, "name": person, "role": role, "present": True},
            PHYSICIAN,
        )


def about(kind: str, item_id: str) -> dict[str, str]:
    """The subject of a motion that decides this item (an authorization, a template...)."""
    return {"kind": kind, "id": item_id}


def carry(
    pc: TestClient,
    meeting_id: str,
    item_id: str,
    text: str = "Approve it",
    subject: dict[str, str] | None = None,
) -> str:
    """Move, vote and close a motion that carries; the decision id."""
    motion_body: dict[str, Any] = {"agenda_item_id": item_id, "text": text, "moved_by": "dr-kim"}
    if subject is not None:
        motion_body["subject"] = subject
    motion = post(pc, f"/meetings/{meeting_id}/motions", motion_body, PHYSICIAN)["motions"][-1]
    base = f"/meetings/{meeting_id}/motions/{motion['motion_id']}"
    for person, _ in MEMBERS:
        post(pc, f"{base}/votes", {"voter": person, "choice": "for"}, PHYSICIAN)
    decided = post(pc, f"{base}/close", {"at": AT})["motions"][-1]
    assert decided["outcome"] == "carried"
    assert decided["tally"] == {"for": 3, "against": 0, "abstain": 0}
    return str(decided["decision_id"])


def held_meeting(
    pc: TestClient, period: str, kind: str = "other", subject: dict[str, str] | None = None
) -> tuple[str, str]:
    """A meeting in session with one decision (on `subject`): (meeting id, decision id)."""
    meeting_id = schedule(pc, period)["id"]
    seat_members(pc, meeting_id)
    agenda = post(
        pc,
        f"/meetings/{meeting_id}/agenda",
        {"kind": kind, "reference": f"ref-{period}", "title": "An item"},
        PHYSICIAN,
    )["agenda"]
    post(pc, f"/meetings/{meeting_id}/open", {"at": AT})
    return meeting_id, carry(pc, meeting_id, agenda[0]["item_id"], subject=subject)


def cited(decision_id: str) -> dict[str, str]:
    """A decision basis resting on the carried motion with this decision id."""
    return {"kind": "meeting_decision", "reference": decision_id}


def recorded(basis: dict[str, str], kind: str, item_id: str) -> dict[str, str]:
    """The basis as a decision on this item records it: with the item as its subject."""
    return {**basis, "subject_kind": kind, "subject_id": item_id}


def meeting_basis(
    pair: Pair, period: str, kind: str = "other", subject: dict[str, str] | None = None
) -> dict[str, str]:
    """A basis naming a motion carried at a meeting of `period` (deciding `subject`)."""
    _, decision_id = held_meeting(pair.pc, period, kind, subject)
    pair.sync()
    return cited(decision_id)
