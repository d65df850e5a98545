"""Requests of the monthly governance cycle end-to-end test, over HTTP to two real processes.

Every step asserts its status code; every wait for the other service (or for a read
model) goes through the harness's bounded `wait_until`, never a fixed sleep.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import auth
from tests.e2e.harness import wait_until

ADMIN = auth("mso_admin", "ann")
SCHEDULER = auth("mso_scheduler", "sam")
DIRECTOR = auth("medical_director", "dr-lee")
PHYSICIAN = auth("physician", "dr-kim")
QUALITY = auth("pc_quality", "qa-kim")
AUDITOR = auth("auditor", "aud-1")
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-2020-001"}
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
MEMBERS = (("dr-lee", "medical_director"), ("dr-kim", "physician"), ("np-ray", "app"))
ALL_SOURCES = [
    "authorization_request",
    "corrective_action",
    "protocol_review",
    "credential_expiring",
    "quality_finding",
    "performance_report",
    "month_without_meeting",
]
WAIT = 20.0

Json = dict[str, Any]


def ok(response: httpx.Response, status: int = 200) -> Json:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    body: Json = response.json()
    return body


def problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["type"] == f"/problems/{code}", response.text


def now() -> str:
    """The current moment, to the microsecond (the packet orders decisions by time)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def eventually(read: Callable[[], Json], ready: Callable[[Json], bool], what: str) -> Json:
    """Poll `read` until `ready` holds for what it returns; that."""

    def done() -> Json | None:
        body = read()
        return body if ready(body) else None

    return wait_until(done, WAIT, message=what)


def row(client: httpx.Client, path: str, who: Json, what: str, **match: Any) -> Json:
    """Wait for the list at `path` (a read model) to hold a row with the `match` values."""

    def found() -> Json | None:
        rows = ok(client.get(path, params={"limit": 200}, headers=who))["items"]
        hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
        return dict(hits[0]) if hits else None

    return wait_until(found, WAIT, message=what)


def create_site(mso: httpx.Client, name: str) -> str:
    body = {"name": name, "kind": "campus", "address": "1 Main St"}
    return str(ok(mso.post("/sites", json=body, headers=ADMIN), 201)["id"])


def request_line(mso: httpx.Client, site_id: str, code: str) -> None:
    """The MSO proposes a service line at the site and asks the PC to authorize it."""
    ok(mso.post(f"/sites/{site_id}/service-lines", json={"code": code}, headers=ADMIN), 201)
    readiness = {"summary": "ready", "checklist": [{"item": "room and staff", "met": True}]}
    path = f"/sites/{site_id}/service-lines/{code}/authorization-requests"
    ok(mso.post(path, json={"readiness": readiness}, headers=ADMIN), 201)


def pending_at_pc(pc: httpx.Client, site_id: str, code: str) -> str:
    """Wait for the MSO's request to reach the PC; its authorization id."""
    match = {"site_id": site_id, "service_line": code, "status": "pending"}
    return str(row(pc, "/authorizations", DIRECTOR, f"the {code} request at the PC", **match)["id"])


def line_at_mso(mso: httpx.Client, site_id: str, code: str, status: str) -> Json:
    """Wait until the service line at the MSO is `status` (a PC decision arrived)."""
    return eventually(
        lambda: ok(mso.get(f"/sites/{site_id}/service-lines/{code}", headers=ADMIN)),
        lambda line: bool(line["status"] == status),
        f"{code} to be {status} at the MSO",
    )


def authorized_since_2020(mso: httpx.Client, pc: httpx.Client, site_id: str, code: str) -> str:
    """A line the Medical Director authorized by act from 2020 on (for last month's visits)."""
    request_line(mso, site_id, code)
    authorization_id = pending_at_pc(pc, site_id, code)
    body = {"effective_date": "2020-01-01", "basis": MD_ACT}
    ok(pc.post(f"/authorizations/{authorization_id}/approve", json=body, headers=DIRECTOR))
    line_at_mso(mso, site_id, code, "authorized")
    return authorization_id


def booking(site_id: str, code: str, start: datetime) -> Json:
    return {
        "site_id": site_id,
        "service_line": code,
        "start": start.isoformat(),
        "patient": PATIENT,
    }


def visit(mso: httpx.Client, site_id: str, code: str, start: datetime, outcome: str) -> str:
    """A past visit and its outcome (fulfilled or no-show)."""
    booking_body = booking(site_id, code, start)
    appointment_id = str(
        ok(mso.post("/appointments", json=booking_body, headers=SCHEDULER), 201)["id"]
    )
    path = f"/appointments/{appointment_id}/outcome"
    assert ok(mso.post(path, json={"outcome": outcome}, headers=SCHEDULER))["status"] == outcome
    return appointment_id


def survey(mso: httpx.Client, appointment_id: str, score: int) -> None:
    body = {"appointment_id": appointment_id, "score": score}
    ok(mso.post("/surveys", json=body, headers=SCHEDULER), 201)


def kpi(report: Json, site_id: str, name: str) -> tuple[Any, ...]:
    """A site-wide KPI reading of a report: value, sample size, target, variance."""
    [site] = [s for s in report["sites"] if s["site_id"] == site_id]
    [k] = [k for k in site["kpis"] if k["kpi"] == name and k["service_line"] is None]
    return k["value"], k["sample_size"], k["target"], k["variance"]


def step(pc: httpx.Client, meeting_id: str, path: str, body: Json, who: Json = DIRECTOR) -> Json:
    """A POST to a meeting's sub-resource; the meeting as it is afterwards."""
    return ok(pc.post(f"/meetings/{meeting_id}/{path}", json=body, headers=who))


def seat_members(pc: httpx.Client, meeting_id: str) -> Json:
    """The three PC members present, and an MSO representative (present, not a member)."""
    meeting: Json = {}
    for person, role in (*MEMBERS, ("ms-ops", "mso_representative")):
        attendee = {"person_id": person, "name": person, "role": role, "present": True}
        meeting = step(pc, meeting_id, "attendance", attendee, PHYSICIAN)
    return meeting


def carry(pc: httpx.Client, meeting_id: str, item_id: str, text: str) -> Json:
    """Move, vote (two for, one abstention) and close a motion that carries; the motion."""
    moved = {"agenda_item_id": item_id, "text": text, "moved_by": "dr-kim"}
    motion_id = step(pc, meeting_id, "motions", moved, PHYSICIAN)["motions"][-1]["motion_id"]
    for (person, _), choice in zip(MEMBERS, ("for", "for", "abstain"), strict=True):
        vote = {"voter": person, "choice": choice}
        step(pc, meeting_id, f"motions/{motion_id}/votes", vote, PHYSICIAN)
    motions = step(pc, meeting_id, f"motions/{motion_id}/close", {"at": now()})["motions"]
    [decided] = [m for m in motions if m["motion_id"] == motion_id]
    assert (decided["outcome"], decided["text"]) == ("carried", text)
    assert decided["tally"] == {"for": 2, "against": 0, "abstain": 1}
    return dict(decided)


def action_at(client: httpx.Client, action_id: str, who: Json, status: str, what: str) -> Json:
    """Wait until a corrective action is `status` in this service."""
    return eventually(
        lambda: ok(client.get(f"/corrective-actions/{action_id}", headers=who)),
        lambda action: bool(action["status"] == status),
        what,
    )


def sealed_packet(pc: httpx.Client, period: dict[str, str]) -> Json:
    """The audit packet of the period, once the sealer has sealed all that it covers."""
    return eventually(
        lambda: ok(pc.get("/audit-packets", params=period, headers=AUDITOR)),
        lambda packet: packet["seal"] is not None,
        "the audit packet's seal",
    )
