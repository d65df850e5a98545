"""The governance agenda assembles itself from every open-item source, on each backend;
and the MSO's monthly performance report arrives through its feed, newest revision winning."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from contracts import Envelope
from mhg.eventstore import AlreadyApplied
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import (
    carry,
    seat_members,
)
from tests.integration.pc_open_items import (
    ALL_SOURCES,
    AUDITOR,
    SUBSCRIPTION,
    assemble,
    clinician,
    deliver_through_feed,
    envelope,
    finding,
    judge,
    kpi,
    ok,
    open_action,
    progress,
    protocol,
    report,
    schedule,
    today,
)
from tests.integration.services import (
    Pair,
    service_pair,
)
from tests.integration.test_governed_flow import (
    propose_line,
    request_authorization,
)
from tests.integration.test_pc_visit_templates import (
    approve,
    create,
    retire,
    terms,
)

OCTOBER, SEPTEMBER = date(2026, 10, 1), date(2026, 9, 1)
OCTOBER_KPIS = [
    kpi("no_show_rate", "0.12", "0.10", "lower_is_better", service_line="sports_clearance"),
    kpi("nps", "40", "50", "higher_is_better", variance=Decimal("-10")),
    kpi("site_reliability", "0.99", "0.98", "higher_is_better"),
    kpi("third_next_available_days", None, "3", "lower_is_better", sample_size=0),
]


def open_items(pair: Pair) -> dict[str, Any]:
    """One or more open items of every source, and items that must stay off the agenda."""
    authorization_id = request_authorization(pair, propose_line(pair))
    drafts = template_drafts(pair)
    overdue, due = open_action(pair, -5, "Overdue action"), open_action(pair, 10, "Due action")
    later = open_action(pair, 90, "Later action")
    awaiting = open_action(pair, 120, "Done action")
    progress(pair, awaiting, "in_progress")
    progress(pair, awaiting, "completed")
    verified = open_action(pair, -1, "Verified action")
    progress(pair, verified, "in_progress")
    progress(pair, verified, "completed")
    judge(pair, verified, "verify")
    review_due = protocol(pair, "Sports clearance", review_in=10)
    review_later = protocol(pair, "School physical", review_in=200)
    doctor, held = clinician(
        pair, "1000000001", "Dr. Ada Ng", {"license": 20, "board_certification": 75, "dea": 400}
    )
    _, lapsed = clinician(pair, "1000000002", "Dr. Bo Li", {"license": -3})
    serious, minor, answered = finding(pair, doctor, ["major", "minor", "critical"])
    answer = open_action(
        pair, 100, "Answer the finding", source={"kind": "finding", "reference": answered}
    )
    october = report(OCTOBER, 2, OCTOBER_KPIS)
    deliver_through_feed(
        pair,
        [report(SEPTEMBER, 1, OCTOBER_KPIS[:1]), report(OCTOBER, 1, OCTOBER_KPIS[2:]), october],
    )
    return {
        "expected": {
            ("authorization_request", authorization_id),
            ("visit_template_draft", drafts["new"]),
            ("visit_template_draft", drafts["next"]),
            ("corrective_action", overdue),
            ("corrective_action", due),
            ("corrective_action", awaiting),
            ("protocol_review", review_due),
            ("credential_expiring", held["license"]),
            ("credential_expiring", held["board_certification"]),
            ("credential_expiring", lapsed["license"]),
            ("quality_finding", serious),
            ("performance_report", str(october.report_id)),
        },
        "absent": {later, verified, answer, review_later, held["dea"], minor, answered}
        | drafts["absent"],
    }


def template_drafts(pair: Pair) -> dict[str, Any]:
    """Drafts awaiting approval (a new template's v1, an approved one's v2) and some that
    await nothing: an approved version, the draft left behind by a retirement."""
    new = create(pair, name="Health fair")
    standing = create(pair, name="Sports clearance, campus")
    approve(pair, standing, 1, 3)
    path = f"/visit-templates/{standing}/versions"
    ok(pair.pc.post(path, json=terms(visit_minutes=15), headers=DIRECTOR), 201)
    settled = create(pair, name="Flu season")
    approve(pair, settled, 1, 0)
    retiring = create(pair, name="Summer camp")
    approve(pair, retiring, 1, 0)
    path = f"/visit-templates/{retiring}/versions"
    ok(pair.pc.post(path, json=terms(), headers=DIRECTOR), 201)
    assert retire(pair, retiring, 5).status_code == 200
    return {
        "new": f"{new}/1",
        "next": f"{standing}/2",
        "absent": {f"{standing}/1", f"{settled}/1", f"{retiring}/1", f"{retiring}/2"},
    }


def test_the_agenda_assembles_itself_from_every_source(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        items = open_items(pair)
        meeting_id = schedule(pair, f"{today():%Y-%m}", f"{today()}T18:00:00Z")

        # one source at a time: each call adds exactly that source's open items
        added: list[dict[str, Any]] = []
        for kind in (
            "authorization_request",
            "visit_template_draft",
            "corrective_action",
            "protocol_review",
            "credential_expiring",
            "quality_finding",
            "performance_report",
        ):
            agenda = assemble(pair, meeting_id, [kind])
            new = agenda[len(added) :]
            assert new
            assert {item["kind"] for item in new} == {kind}
            added = agenda
        assert {(i["kind"], i["reference"]) for i in added} == items["expected"]
        assert not items["absent"] & {i["reference"] for i in added}
        assert {i["source"] for i in added} == {"assembled"}

        titles = {i["reference"]: i["title"] for i in added}
        by_title = " | ".join(titles.values())
        assert "overdue since" in by_title
        assert "Visit template awaiting approval: Health fair (sports_clearance) v1" in by_title
        assert "Sports clearance, campus (sports_clearance) v2" in by_title
        assert "awaiting verification" in by_title
        assert "Protocol review due" in by_title
        assert "Sports clearance v1" in by_title
        assert "Credential expires within 30 days: license of Dr. Ada Ng" in by_title
        assert "Credential expires within 90 days: board_certification" in by_title
        assert "Credential expired: license of Dr. Bo Li" in by_title
        assert "Quality finding without a corrective action: major" in by_title
        assert "CHART-" not in by_title  # the finding's chart is not on the agenda
        [report_title] = [i["title"] for i in added if i["kind"] == "performance_report"]
        assert report_title.startswith(
            "MSO performance report 2026-10 (revision 2): 2 unfavourable"
        )
        assert "no_show_rate (sports_clearance) 0.12 vs target 0.10" in report_title
        assert "nps 40 vs target 50" in report_title
        assert "site_reliability" not in report_title

        # nothing new: assembling again from every source changes nothing
        before = ok(pair.pc.get(f"/meetings/{meeting_id}", headers=DIRECTOR))
        assert assemble(pair, meeting_id) == added
        after = ok(pair.pc.get(f"/meetings/{meeting_id}", headers=DIRECTOR))
        assert after["version"] == before["version"]

        # an item's disposition traces back to its source through the decision log
        seat_members(pair.pc, meeting_id)
        ok(
            pair.pc.post(
                f"/meetings/{meeting_id}/open",
                json={"at": f"{today()}T18:05:00Z"},
                headers=DIRECTOR,
            )
        )
        [report_item] = [i for i in added if i["kind"] == "performance_report"]
        decision_id = carry(pair.pc, meeting_id, report_item["item_id"], "Ask the MSO for a plan")
        pair.pc_runtime.projections.catch_up()
        log = ok(pair.pc.get("/decisions", headers=AUDITOR))["items"]
        [entry] = [d for d in log if d["decision_id"] == decision_id]
        assert (entry["agenda_item_kind"], entry["agenda_item_reference"]) == (
            "performance_report",
            report_item["reference"],
        )


def test_a_settled_item_leaves_the_next_agenda(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        doctor, _ = clinician(pair, "1000000003", "Dr. Cy Oh", {"license": 400})
        [serious] = finding(pair, doctor, ["moderate"])
        action = open_action(pair, 3, "Short deadline")
        first = schedule(pair, f"{today():%Y-%m}", f"{today()}T18:00:00Z")
        assert {(i["kind"], i["reference"]) for i in assemble(pair, first)} == {
            ("quality_finding", serious),
            ("corrective_action", action),
        }
        # the finding gets its corrective action, the action is done and found effective
        answer = open_action(pair, 200, "Answer", source={"kind": "finding", "reference": serious})
        for status in ("in_progress", "completed"):
            progress(pair, action, status)
        judge(pair, action, "verify")
        second = schedule(pair, "2027-01", "2027-01-07T18:00:00Z")
        assert {(i["kind"], i["reference"]) for i in assemble(pair, second)} == set()
        assert answer


def test_assembling_refuses_unknown_sources_and_readers(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        meeting_id = schedule(pair, "2027-01", "2027-01-07T18:00:00Z")
        path = f"/meetings/{meeting_id}/agenda/assemble"
        every = {"sources": ALL_SOURCES}
        for body in ({"sources": ["gossip"]}, {"sources": []}, {}):
            bad = pair.pc.post(path, json=body, headers=DIRECTOR)
            assert bad.status_code == 422
            assert "sources" in bad.text
        assert pair.pc.post(path, json=every, headers=ADMIN).status_code == 403
        assert pair.pc.post(path, json=every).status_code == 401
        unknown = f"/meetings/{uuid.uuid4()}/agenda/assemble"
        assert pair.pc.post(unknown, json=every, headers=DIRECTOR).status_code == 404
        assert ok(pair.pc.post(path, json=every, headers=DIRECTOR))["agenda"] == []


def report_rows(pair: Pair) -> list[dict[str, Any]]:
    tables = pair.pc_runtime.store.metadata.tables
    with pair.pc_runtime.store.reader.connect() as conn:
        return [
            dict(r._mapping)
            for name in ("pc_performance_reports", "pc_serious_findings")
            for r in conn.execute(select(tables[name]).order_by(tables[name].c.position))
        ]


def test_reports_apply_once_the_newest_revision_wins(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        policy = pair.pc_runtime.parts.inbound(pair.pc_runtime.application)
        app = pair.pc_runtime.application
        second = report(OCTOBER, 2, OCTOBER_KPIS)
        first = envelope(report(OCTOBER, 1, OCTOBER_KPIS[2:]), 3)
        policy(envelope(report(SEPTEMBER, 1, OCTOBER_KPIS[2:]), 1))
        policy(envelope(second, 2))
        with pytest.raises(AlreadyApplied):
            policy(envelope(second, 2))  # delivered twice: applied once
        policy(first)  # an older revision arriving late is passed over, durably
        bad = report(date(2026, 8, 1), 1, OCTOBER_KPIS).model_dump(mode="json") | {
            "month": "2026-08-15"
        }
        policy(Envelope.model_validate(first.model_dump() | {"position": 4, "payload": bad}))
        assert app.consumed_position(SUBSCRIPTION) == 4
        pair.pc_runtime.projections.catch_up()

        reports = ok(pair.pc.get("/performance-reports", headers=AUDITOR))["items"]
        assert [(r["month"], r["revision"]) for r in reports] == [("2026-09", 1), ("2026-10", 2)]
        assert [r["unfavourable_count"] for r in reports] == [0, 2]
        page = ok(pair.pc.get("/performance-reports", params={"limit": 1}, headers=DIRECTOR))
        rest = ok(
            pair.pc.get(
                "/performance-reports", params={"cursor": page["next_cursor"]}, headers=DIRECTOR
            )
        )
        assert [r["month"] for r in page["items"] + rest["items"]] == ["2026-09", "2026-10"]
        assert rest["next_cursor"] is None
        for params, months in (
            ({"from": "2026-10"}, ["2026-10"]),
            ({"to": "2026-09"}, ["2026-09"]),
            ({"from": "2026-09", "to": "2026-10"}, ["2026-09", "2026-10"]),
            ({"from": "2026-11"}, []),
            ({"with_unfavourable": "true"}, ["2026-10"]),
        ):
            listed = ok(pair.pc.get("/performance-reports", params=params, headers=DIRECTOR))
            assert [r["month"] for r in listed["items"]] == months, params

        response = pair.pc.get("/performance-reports/2026-10", headers=DIRECTOR)
        detail = ok(response)
        assert response.headers["ETag"] == f'"{detail["version"]}"'
        assert (detail["report_id"], detail["revision"]) == (str(second.report_id), 2)
        assert [r["revision"] for r in detail["revisions"]] == [2]  # the first arrived too late
        assert [(v["kpi"], Decimal(v["variance"])) for v in detail["unfavourable"]] == [
            ("no_show_rate", Decimal("0.02")),
            ("nps", Decimal("-10")),
        ]
        assert len(detail["sites"][0]["kpis"]) == 4

        for path, status in (
            ("/performance-reports/2026-07", 404),
            ("/performance-reports/2026-13", 422),
            ("/performance-reports?from=2026-10&to=2026-09", 422),
            ("/performance-reports?from=October", 422),
        ):
            assert pair.pc.get(path, headers=DIRECTOR).status_code == status, path
        assert pair.pc.get("/performance-reports", headers=ADMIN).status_code == 403
        assert pair.pc.get("/performance-reports").status_code == 401
        assert (
            pair.pc.get("/performance-reports", headers=auth("vendor", "acme")).status_code == 403
        )


def test_a_corrected_month_is_revised_in_place_and_rebuilds(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        doctor, _ = clinician(pair, "1000000004", "Dr. Di Yu", {"license": 400})
        finding(pair, doctor, ["critical", "none"])
        first, second = report(OCTOBER, 1, OCTOBER_KPIS[2:]), report(OCTOBER, 2, OCTOBER_KPIS)
        deliver_through_feed(pair, [first, report(SEPTEMBER, 1, OCTOBER_KPIS)])
        deliver_through_feed(pair, [second])
        detail = ok(pair.pc.get("/performance-reports/2026-10", headers=DIRECTOR))
        assert [r["revision"] for r in detail["revisions"]] == [1, 2]
        listed = ok(pair.pc.get("/performance-reports", headers=DIRECTOR))["items"]
        # the month keeps its place in the list; its row holds the newest revision
        assert [(r["month"], r["revision"]) for r in listed] == [("2026-10", 2), ("2026-09", 1)]
        live = report_rows(pair)
        assert len(live) == 3  # two months, one serious finding
        pair.pc_runtime.projections.rebuild()
        assert report_rows(pair) == live


def test_the_mso_report_reaches_the_agenda_through_the_real_feed(store_url: StoreUrl) -> None:
    """MSO Operations closes a month and publishes it; PC Governance follows its feed."""
    with service_pair(store_url) as pair:
        closed = pair.mso.post("/performance-reports/2026-10/close", headers=ADMIN)
        assert closed.status_code == 201, closed.text
        pair.sync()
        [row] = ok(pair.pc.get("/performance-reports", headers=AUDITOR))["items"]
        assert (row["month"], row["revision"]) == ("2026-10", 1)
        assert row["report_id"] == closed.json()["report_id"]
        meeting_id = schedule(pair, "2027-01", "2027-01-07T18:00:00Z")
        [item] = assemble(pair, meeting_id, ["performance_report"])
        assert item["reference"] == closed.json()["report_id"]
        assert item["title"].startswith("MSO performance report 2026-10 (revision 1)")
