"""One monthly governance cycle across two real service processes, over HTTP only.

The MSO asks for a service line and closes last month; the request and the performance
report reach the PC through the MSO's feed and the agenda assembles itself from them (with
last month, whose meeting was never held); a
quorate meeting decides, the Medical Director approves on that decision, an MSO-owned
corrective action makes the round trip through both feeds, the minutes lock and the
meeting closes. The month's audit packet, and the provenance of a booking made under the
new authorization, both lead back to the meeting decision. The PC publishes last month's
audit readiness, and the MSO's report of the month, closed again, carries it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import StoreUrl
from tests.e2e.flows import go_live
from tests.e2e.harness import running_services
from tests.e2e.monthly_cycle_steps import (
    ADMIN,
    ALL_SOURCES,
    AUDITOR,
    DIRECTOR,
    PHYSICIAN,
    QUALITY,
    Json,
    action_at,
    authorized_since_2020,
    booking,
    carry,
    create_site,
    eventually,
    kpi,
    last_month,
    line_at_mso,
    now,
    ok,
    pending_at_pc,
    problem,
    request_line,
    row,
    sealed_packet,
    seat_members,
    step,
    survey,
    visit,
)

pytestmark = [pytest.mark.e2e, pytest.mark.deployed]

SPORTS, SCHOOL = "sports_clearance", "school_physical"
MINUTES = "School physicals approved at North Campus; the MSO acts on no-shows."
AMENDMENT = {"text": "np-ray abstained on both motions.", "reason": "vote detail"}


def close_last_month(mso: httpx.Client, site: str, month: date) -> Json:
    """Last month's sports clearances (3 fulfilled, surveyed 10 9 6; 1 no-show), closed."""
    visits = ((2, "fulfilled", 10), (3, "fulfilled", 9), (4, "no_show", None), (5, "fulfilled", 6))
    for day, outcome, score in visits:
        start = datetime.combine(month.replace(day=day), time(10), UTC)
        appointment_id = visit(mso, site, SPORTS, start, outcome)
        if score is not None:
            survey(mso, appointment_id, score)
    ok(mso.put("/kpi-targets/no_show_rate", json={"target": "0.10"}, headers=ADMIN))
    report = ok(mso.post(f"/performance-reports/{month:%Y-%m}/close", headers=ADMIN), 201)
    assert (report["status"], report["revision"]) == ("final", 1)
    assert kpi(report, site, "no_show_rate") == ("0.2500", 4, "0.10", "0.1500")
    assert kpi(report, site, "nps") == ("33.3", 3, None, None)
    assert kpi(report, site, "audit_readiness")[0] is None  # the PC has published nothing
    return report


def corrective_action_round_trip(mso: httpx.Client, pc: httpx.Client, source: Json) -> Json:
    """PC assigns to the MSO; the MSO reports it done; the PC verifies; the MSO sees it closed."""
    due = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    body: Json = {"title": "Reminder calls", "description": "No-shows 25 % vs 10 %"}
    body |= {"owner": "mso", "assignee": "North Campus manager", "due_on": due, "source": source}
    opened = ok(pc.post("/corrective-actions", json=body, headers=DIRECTOR), 201)
    action_id = opened["id"]
    assert (opened["status"], opened["owner"]) == ("open", "mso")
    assert opened["assigned_at"] is not None
    listed = row(mso, "/corrective-actions", ADMIN, "the action to reach the MSO", id=action_id)
    assert (listed["status"], listed["source_reference"]) == ("open", source["reference"])
    for status in ("in_progress", "completed"):
        report = {"status": status, "evidence": f"calls {status}", "document_ref": "CALL-LOG-1"}
        path = f"/corrective-actions/{action_id}/progress"
        assert ok(mso.post(path, json=report, headers=ADMIN))["status"] == status
    done = action_at(pc, action_id, QUALITY, "completed", "the MSO's report to reach the PC")
    assert [(e["party"], e["added_by"]) for e in done["evidence"]] == [("mso", "ann")] * 2
    verify = {"note": "no-shows down to 8 %"}
    verified = ok(pc.post(f"/corrective-actions/{action_id}/verify", json=verify, headers=QUALITY))
    assert verified["status"] == "verified"
    closed = action_at(mso, action_id, ADMIN, "closed", "the verification to reach the MSO")
    assert [(v["effective"], v["note"]) for v in closed["verdicts"]] == [(True, verify["note"])]
    return opened


def test_a_monthly_governance_cycle_across_both_services(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    today = datetime.now(UTC).date()
    with running_services(store_url, tmp_path) as services:
        mso, pc = services.mso.client(), services.pc.client()
        site = create_site(mso, "North Campus")
        go_live_id, _ = go_live(mso, pc, site)  # the PC approves the site before it books
        baseline = authorized_since_2020(mso, pc, site, SPORTS)

        # 1. The MSO asks for school physicals at the site: bookings wait for the PC.
        request_line(mso, site, SCHOOL)
        visit_at = datetime.combine(today + timedelta(days=7), time(10), UTC)
        first = mso.post("/appointments", json=booking(site, SCHOOL, visit_at), headers=ADMIN)
        problem(first, 409, "service-line-not-authorized")
        authorization_id = pending_at_pc(pc, site, SCHOOL)

        # 2. The MSO closes last month; its report reaches the PC through the feed.
        month = last_month(today)
        report = close_last_month(mso, site, month)
        report_id = report["report_id"]
        at_pc = row(pc, "/performance-reports", DIRECTOR, "the report", report_id=report_id)
        assert (at_pc["month"], at_pc["revision"]) == (f"{month:%Y-%m}", 1)
        assert at_pc["unfavourable_count"] == 2  # no-show rate: the site's, and its line's

        # 3. The meeting's agenda assembles itself: the pending request, the report, and
        #    last month, whose meeting the PC scheduled but never held.
        missed = {"period": f"{month:%Y-%m}", "scheduled_for": f"{month:%Y-%m}-05T18:00:00Z"}
        ok(pc.post("/meetings", json=missed, headers=DIRECTOR), 201)
        eventually(
            lambda: ok(pc.get("/authorizations", params={"status": "pending"}, headers=DIRECTOR)),
            lambda page: [a["id"] for a in page["items"]] == [authorization_id],
            "the PC's pending requests (the baseline approved)",
        )
        quorum = {"min_present": 3, "medical_director_required": True}
        scheduled = {"period": f"{today:%Y-%m}", "scheduled_for": now(), "quorum": quorum}
        mid = ok(pc.post("/meetings", json=scheduled, headers=DIRECTOR), 201)["id"]
        agenda = step(pc, mid, "agenda/assemble", {"sources": ALL_SOURCES}, PHYSICIAN)["agenda"]
        assert [(i["kind"], i["reference"], i["source"]) for i in agenda] == [
            ("authorization_request", authorization_id, "assembled"),
            ("performance_report", report_id, "assembled"),
            ("month_without_meeting", f"{month:%Y-%m}", "assembled"),
        ]
        request_item, report_item, missed_item = agenda
        assert "counts against audit readiness" in missed_item["title"]
        assert request_item["title"].endswith(f": North Campus, {SCHOOL}")
        assert report_item["title"].startswith(f"MSO performance report {month:%Y-%m} (revision 1)")
        assert "North Campus no_show_rate 0.2500 vs target 0.10" in report_item["title"]

        # 4. Attendance with quorum; a motion per item carried; the decision log holds both.
        assert seat_members(pc, mid)["has_quorum"] is True
        assert step(pc, mid, "open", {"at": now()})["status"] == "in_session"
        approve = carry(pc, mid, request_item["item_id"], "Approve school physicals")
        plan = carry(pc, mid, report_item["item_id"], "The MSO brings no-shows under target")
        decision_id = approve["decision_id"]
        log = eventually(
            lambda: ok(pc.get("/decisions", params={"meeting_id": mid}, headers=AUDITOR)),
            lambda page: len(page["items"]) == 2,
            "the decision log",
        )["items"]
        assert [(d["decision_id"], d["agenda_item_reference"], d["period"]) for d in log] == [
            (decision_id, authorization_id, f"{today:%Y-%m}"),
            (plan["decision_id"], report_id, f"{today:%Y-%m}"),
        ]

        # 5. The Medical Director approves, naming the meeting decision; it reaches the MSO.
        basis = {"kind": "meeting_decision", "reference": decision_id}
        body = {"effective_date": today.isoformat(), "conditions": ["MD on call"], "basis": basis}
        path = f"/authorizations/{authorization_id}/approve"
        approved = ok(pc.post(path, json=body, headers=DIRECTOR))
        approval_id = approved["decisions"][-1]["decision_id"]
        line = line_at_mso(mso, site, SCHOOL, "authorized")
        assert (line["authorization_id"], line["decision_id"]) == (authorization_id, approval_id)

        # 6. The second decision opens an MSO-owned corrective action: its round trip.
        source = {"kind": "meeting_decision", "reference": plan["decision_id"]}
        action_id = corrective_action_round_trip(mso, pc, source)["id"]

        # 7. Every item dispositioned; minutes drafted, approved (locked); the meeting closes.
        for item, motion in ((request_item, approve), (report_item, plan)):
            decided = {"disposition": "decided", "decision_id": motion["decision_id"]}
            step(pc, mid, f"agenda/{item['item_id']}/disposition", decided, PHYSICIAN)
        noted = {"disposition": "noted", "note": "No quorum last month; minuted here"}
        step(pc, mid, f"agenda/{missed_item['item_id']}/disposition", noted, PHYSICIAN)
        step(pc, mid, "adjourn", {"at": now()})
        ok(pc.put(f"/meetings/{mid}/minutes", json={"text": MINUTES}, headers=PHYSICIAN))
        minutes = step(pc, mid, "minutes/approve", {"revision": 1})["minutes"]
        assert (minutes["status"], minutes["approved_by"]) == ("approved", "dr-lee")
        edit = pc.put(f"/meetings/{mid}/minutes", json={"text": "edited"}, headers=PHYSICIAN)
        problem(edit, 409, "minutes-locked")
        amended = step(pc, mid, "minutes/amendments", AMENDMENT, PHYSICIAN)["minutes"]
        assert (amended["text"], len(amended["amendments"])) == (MINUTES, 1)
        assert step(pc, mid, "close", {"at": now()})["status"] == "closed"

        # 8. The month's audit packet (JSON, sealed; and HTML) holds the whole cycle.
        period = {"from": f"{today:%Y-%m}-01", "to": datetime.now(UTC).date().isoformat()}
        packet = sealed_packet(pc, period)
        assert packet["seal"]["position"] == packet["covers"]["through_position"]
        [held] = packet["meetings"]
        assert (held["id"], held["status"], held["quorum"]["met"]) == (mid, "closed", True)
        assert (held["minutes"]["status"], held["minutes"]["text"]) == ("approved", MINUTES)
        assert [a["text"] for a in held["minutes"]["amendments"]] == [AMENDMENT["text"]]
        decisions = [decision_id, plan["decision_id"]]
        assert [i["decision_id"] for i in held["agenda"]] == [*decisions, None]
        assert [i["disposition"] for i in held["agenda"]] == ["decided", "decided", "noted"]
        assert [d["decision_id"] for d in packet["decision_log"]] == decisions
        [action] = packet["corrective_actions"]
        assert (action["id"], action["status"], action["source"]) == (action_id, "verified", source)
        assert [v["effective"] for v in action["verifications"]] == [True]
        authorizations = {a["id"]: a for a in packet["authorizations"]}
        assert authorizations.keys() == {go_live_id, baseline, authorization_id}
        history = authorizations[authorization_id]["history"]
        assert [h["event"] for h in history] == ["requested", "approved"]
        on_the_item = {"subject_kind": "authorization", "subject_id": authorization_id}
        assert (history[1]["basis"], history[1]["decision_id"]) == (
            basis | on_the_item,
            approval_id,
        )
        page = pc.get("/audit-packets", params={**period, "format": "html"}, headers=AUDITOR)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert all(ref in page.text for ref in (mid, decision_id, action_id, authorization_id))

        # 9. The booking now succeeds; its provenance leads back to the meeting decision.
        booked = mso.post("/appointments", json=booking(site, SCHOOL, visit_at), headers=ADMIN)
        appointment = ok(booked, 201)
        assert appointment["authorization_id"] == authorization_id
        assert appointment["decision_id"] == approval_id
        chain = ok(mso.get(f"/provenance/appointment/{appointment['id']}", headers=AUDITOR))
        assert (chain["authorization_id"], chain["decision_id"]) == (authorization_id, approval_id)
        assert chain["arrived_through"]["producer"] == "pc-governance"
        assert chain["pc_provenance_path"] == f"/provenance/authorizations/{authorization_id}"
        [decided] = ok(pc.get(chain["pc_provenance_path"], headers=AUDITOR))["decisions"]
        assert (decided["decision_id"], decided["basis"]["resolved"]) == (approval_id, True)
        meeting = decided["basis"]["meeting_decision"]
        assert (meeting["meeting_id"], meeting["decision_id"]) == (mid, decision_id)
        assert (meeting["motion"], meeting["minutes_status"]) == (approve["text"], "approved")

        # 10. The PC publishes last month's audit readiness; the month closed again carries it.
        figure = ok(pc.post(f"/audit-readiness/{month:%Y-%m}/publish", headers=DIRECTOR))
        by_category = {c["category"]: (c["required"], c["current"]) for c in figure["categories"]}
        assert by_category["meetings"] == (1, 0)  # last month's meeting was never held
        reclose = f"/performance-reports/{month:%Y-%m}/close"
        revised = eventually(
            lambda: mso.post(reclose, headers={**ADMIN, "If-Match": '"1"'}).json(),
            lambda body: body.get("revision") == 2,
            "the PC's figure to reach the MSO's report",
        )
        value, items, _, _ = kpi(revised, site, "audit_readiness")
        assert items == figure["required"]
        assert abs(float(value) - figure["current"] / figure["required"]) < 1e-4
        mso.close()
        pc.close()
