"""The month's close and its governance: the MSO closes its performance report and issues
the MSA invoice, the PC accepts it; the PC holds its monthly meeting (quorum, agenda
assembled from what is pending, a motion on the last report, minutes approved) and, in
some months, opens a corrective action the MSO works through and the PC verifies."""

from __future__ import annotations

from datetime import timedelta
from typing import get_args

from mhg_cli.demo.api import (
    ADMIN,
    BILLING,
    DIRECTOR,
    PHYSICIAN,
    QUALITY,
    Json,
    Person,
    Service,
    wait_for,
)
from mhg_cli.demo.operations import Month
from services.pc_governance.domain.meeting_records import AgendaSource

MEMBERS = (("dr-lee", "medical_director"), ("dr-kim", "physician"), ("np-ray", "app"))
SOURCES = list(get_args(AgendaSource))  # the agenda assembles itself from every source
QUORUM = {"min_present": 3, "medical_director_required": True}


def close_month(mso: Service, pc: Service, month: Month) -> None:
    """The month's performance report and MSA invoice; the PC accepts the invoice."""
    mso.create(f"/performance-reports/{month.label}/close", None, ADMIN, f"close:{month.label}")
    invoice, _ = mso.create(
        "/billing/invoices", {"month": month.label}, BILLING, f"invoice:{month.label}"
    )
    path = f"/msa/invoices/{invoice['id']}"
    at_pc = wait_for(lambda: pc.find(path, DIRECTOR), "the invoice to reach the PC")
    if at_pc.get("answer") is None:
        pc.post(f"{path}/accept", {"fee": at_pc["fee"], "note": "Matches the schedule"}, DIRECTOR)


def _step(pc: Service, meeting_id: str, path: str, body: Json, who: Person = PHYSICIAN) -> Json:
    return pc.post(f"/meetings/{meeting_id}/{path}", body, who)


def _carry(pc: Service, meeting_id: str, item_id: str, text: str, at: str) -> str:
    """Moved, voted two for and one abstention, carried: the decision's id."""
    moved = {"agenda_item_id": item_id, "text": text, "moved_by": "dr-kim"}
    motion_id = _step(pc, meeting_id, "motions", moved)["motions"][-1]["motion_id"]
    for (person, _), choice in zip(MEMBERS, ("for", "for", "abstain"), strict=True):
        _step(pc, meeting_id, f"motions/{motion_id}/votes", {"voter": person, "choice": choice})
    motions = _step(pc, meeting_id, f"motions/{motion_id}/close", {"at": at}, DIRECTOR)["motions"]
    return str(next(m for m in motions if m["motion_id"] == motion_id)["decision_id"])


def meeting(mso: Service, pc: Service, month: Month, action: str) -> None:
    """The PC's meeting on the 20th. `action`: `none`, `open` (a corrective action left
    in progress) or `verified` (one done and verified)."""
    body = {"period": month.label, "scheduled_for": month.at(20, 2), "quorum": QUORUM}
    held, replayed = pc.create("/meetings", body, DIRECTOR, f"meeting:{month.label}")
    if replayed:
        return
    meeting_id = str(held["id"])
    for person, role in (*MEMBERS, ("ms-ops", "mso_representative")):
        attendee = {"person_id": person, "name": person, "role": role, "present": True}
        _step(pc, meeting_id, "attendance", attendee)
    _step(pc, meeting_id, "open", {"at": month.at(20, 2, 5)}, DIRECTOR)
    agenda = _step(pc, meeting_id, "agenda/assemble", {"sources": SOURCES})["agenda"]
    for item in agenda:
        if item["kind"] == "performance_report":
            text = "The MSO brings no-shows under the 10 % target"
            decision_id = _carry(pc, meeting_id, item["item_id"], text, month.at(20, 2, 30))
            decided = {"disposition": "decided", "decision_id": decision_id}
            _step(pc, meeting_id, f"agenda/{item['item_id']}/disposition", decided)
            if action != "none":
                corrective_action(mso, pc, month, decision_id, verify=action == "verified")
        else:
            noted = {"disposition": "noted", "note": "Reviewed; no motion needed"}
            _step(pc, meeting_id, f"agenda/{item['item_id']}/disposition", noted)
    _step(pc, meeting_id, "adjourn", {"at": month.at(20, 3)}, DIRECTOR)
    minutes = f"Monthly governance meeting, {month.label}: quorum present; agenda reviewed."
    pc.put(f"/meetings/{meeting_id}/minutes", {"text": minutes}, PHYSICIAN)
    _step(pc, meeting_id, "minutes/approve", {"revision": 1}, DIRECTOR)
    _step(pc, meeting_id, "close", {"at": month.at(20, 3, 5)}, DIRECTOR)


def corrective_action(
    mso: Service, pc: Service, month: Month, decision_id: str, *, verify: bool
) -> None:
    due = month.first.replace(day=20) + timedelta(days=30)
    body: Json = {"title": "Reminder calls before every visit", "owner": "mso"}
    body |= {"description": "No-shows above the 10 % target: call each patient the day before"}
    body |= {"assignee": "Site operations manager", "due_on": due.isoformat()}
    body |= {"source": {"kind": "meeting_decision", "reference": decision_id}}
    action, _ = pc.create("/corrective-actions", body, DIRECTOR, f"action:{month.label}")
    path = f"/corrective-actions/{action['id']}"
    wait_for(lambda: mso.find(path, ADMIN), "the corrective action to reach the MSO")
    statuses = ("in_progress", "completed") if verify else ("in_progress",)
    for status in statuses:
        report = {"status": status, "evidence": f"Reminder calls {status.replace('_', ' ')}"}
        mso.post(f"{path}/progress", report | {"document_ref": f"CALL-LOG-{month.label}"}, ADMIN)
    if verify:
        wait_for(
            lambda: True if pc.get(path, QUALITY)["status"] == "completed" else None,
            "the MSO's report to reach the PC",
        )
        pc.post(f"{path}/verify", {"note": "No-shows back under target the next month"}, QUALITY)
