"""The MSA has two sides, on each backend: the PC sees each invoice with its computation,
accepts or disputes it, and countersigns (or declines) each fee schedule version before
the MSO may invoice with it; the MSO sees every answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from services.mso_ops.application import clock as mso_clock
from services.pc_governance.inbound import SUBSCRIPTION
from tests.conftest import auth
from tests.integration.mso_billing_helpers import (
    AUDITOR,
    BILLING,
    MEDICAL_DIRECTOR,
    SERVICE,
    add_version,
    answer_version,
    paid,
    pair,
    site_with_lines,
    step,
)
from tests.integration.pages import every_page
from tests.integration.services import Pair

__all__ = ["pair"]  # fixture

HYBRID = {"base_amount": "10000.00", "percentage": "4.5", "floor": "12000.00", "cap": "30000"}
PHYSICIAN = auth("physician", "dr-p")


def issue(pair: Pair, month: str) -> Any:
    return pair.mso.post("/billing/invoices", json={"month": month}, headers=BILLING)


def invoiced(pair: Pair, month: str) -> dict[str, Any]:
    response = issue(pair, month)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def pc_feed(pair: Pair, kind: str) -> list[dict[str, Any]]:
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    return [m for m in feed["messages"] if m["type"] == kind]


def collections(pair: Pair) -> str:
    site_id = site_with_lines(pair)
    paid(pair, site_id, "F-1", "10000.00", "2027-02-03")
    refunded = paid(pair, site_id, "F-2", "2345.67", "2027-02-27")
    step(pair, refunded, "refund", on="2027-02-28", amount="345.67", reason="duplicate_payment")
    paid(pair, site_id, "J-1", "999.00", "2027-01-31")
    return site_id


def test_the_pc_sees_each_invoice_with_its_computation_recorded_once(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01").status_code == 201
    assert add_version(pair, "2027-02-01", "hybrid", HYBRID).status_code == 201
    site_id = collections(pair)
    february = invoiced(pair, "2027-02")
    january = invoiced(pair, "2027-01")
    pair.sync()
    pair.sync()  # delivered again: still recorded once

    seen = pair.pc.get(f"/msa/invoices/{february['id']}", headers=PHYSICIAN)
    assert seen.status_code == 200, seen.text
    invoice = seen.json()
    assert seen.headers["ETag"] == f'"{invoice["version"]}"'
    assert (invoice["month"], invoice["revision"], invoice["status"]) == ("2027-02", 1, "issued")
    assert (invoice["schedule_version"], invoice["schedule_kind"]) == (2, "hybrid")
    assert (invoice["payments"], invoice["refunds"], invoice["net_collections"]) == (
        "12345.67",
        "345.67",
        "12000.00",
    )
    assert [(line["code"], line["amount"]) for line in invoice["lines"]] == [
        (line["code"], line["amount"]) for line in february["lines"]
    ]
    assert invoice["fee"] == february["fee"] == "12000.00"
    assert invoice["terms"]["percentage"] == "4.5"
    assert invoice["fmv_basis"]["document_ref"] == "FMV-2026-11"
    assert invoice["checks"] == {
        "net_collections_are_payments_less_refunds": True,
        "lines_sum_to_fee": True,
    }
    assert invoice["answer"] is None

    rows = every_page(pair.pc, "/msa/invoices", AUDITOR, limit=1)
    assert [(r["id"], r["fee"], r["answer"]) for r in rows] == [
        (february["id"], "12000.00", None),
        (january["id"], "15000.00", None),
    ]
    for role in ("mso_billing", "mso_admin", "vendor", "service"):
        assert pair.pc.get("/msa/invoices", headers=auth(role)).status_code == 403, role
    assert pair.pc.get(f"/msa/invoices/{site_id}", headers=AUDITOR).status_code == 404

    paid(pair, site_id, "F-3", "300000.00", "2027-02-26")
    fix = pair.mso.post(
        f"/billing/invoices/{february['id']}/corrections", json={"reason": "late"}, headers=BILLING
    ).json()
    pair.sync()
    corrected = pair.pc.get(f"/msa/invoices/{fix['id']}", headers=PHYSICIAN).json()
    assert (corrected["revision"], corrected["corrects_invoice_id"]) == (2, february["id"])
    assert corrected["fee"] == "24040.00"
    original = pair.pc.get(f"/msa/invoices/{february['id']}", headers=PHYSICIAN).json()
    assert (original["status"], original["superseded_by"]) == ("superseded", fix["id"])
    listed = pair.pc.get("/msa/invoices", params={"status": "issued"}, headers=AUDITOR).json()
    assert [r["id"] for r in listed["items"]] == [january["id"], fix["id"]]
    feb_only = pair.pc.get(
        "/msa/invoices", params={"month_from": "2027-02", "month_to": "2027-02"}, headers=AUDITOR
    ).json()
    assert [r["revision"] for r in feb_only["items"]] == [1, 2]


def test_the_pc_accepts_or_disputes_and_the_mso_sees_the_answer(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01").status_code == 201
    collections(pair)
    january, february = invoiced(pair, "2027-01"), invoiced(pair, "2027-02")
    pair.sync()
    dispute = f"/msa/invoices/{february['id']}/dispute"
    head = pair.pc_runtime.application.head_position()
    for body in ({}, {"reason": "   "}):
        refused = pair.pc.post(dispute, json=body, headers=MEDICAL_DIRECTOR)
        assert refused.status_code == 422, body
    for role in ("physician", "app", "pc_quality", "auditor", "mso_billing", "mso_admin"):
        forbidden = pair.pc.post(dispute, json={"reason": "no"}, headers=auth(role))
        assert forbidden.status_code == 403, role
    stale = pair.pc.post(
        dispute, json={"reason": "no"}, headers={**MEDICAL_DIRECTOR, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert pair.pc_runtime.application.head_position() == head, "nothing written"

    disputed = pair.pc.post(
        dispute,
        json={"reason": "February refunds are missing"},
        headers={**MEDICAL_DIRECTOR, "If-Match": '"1"'},
    )
    assert disputed.status_code == 200, disputed.text
    answer = disputed.json()["answer"]
    assert (answer["answer"], answer["reason"]) == ("disputed", "February refunds are missing")
    assert (answer["answered_by"], answer["answered_by_role"]) == ("dr-md", "medical_director")
    assert disputed.headers["ETag"] == '"2"'
    for again in (dispute, f"/msa/invoices/{february['id']}/accept"):
        twice = pair.pc.post(
            again,
            json={"reason": "x"} if "dispute" in again else {"fee": february["fee"]},
            headers=MEDICAL_DIRECTOR,
        )
        assert twice.status_code == 409
        assert twice.json()["type"] == "/problems/msa-invoice-answered"

    accept = f"/msa/invoices/{january['id']}/accept"
    keyed = {**MEDICAL_DIRECTOR, "Idempotency-Key": "accept-jan"}
    wrong_fee = pair.pc.post(accept, json={"fee": "14999.99"}, headers=MEDICAL_DIRECTOR)
    assert wrong_fee.status_code == 422, "an acceptance names the fee it accepts"
    assert wrong_fee.json()["type"] == "/problems/answer-names-another-subject"
    body = {"fee": "15000.00", "note": "matches the ledger"}
    accepted = pair.pc.post(accept, json=body, headers=keyed)
    assert accepted.status_code == 200, accepted.text
    replay = pair.pc.post(accept, json=body, headers=keyed)
    assert replay.json() == accepted.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    again = pair.pc.post(accept, json={"fee": "15000.00"}, headers=MEDICAL_DIRECTOR)
    assert again.status_code == 409

    [message] = pc_feed(pair, "msa-fee-invoice.answered")[:1]
    assert message["payload"]["invoice_id"] == february["id"]
    assert message["payload"]["answer"] == "disputed"
    assert message["payload"]["decision_id"] == answer["decision_id"]
    assert message["actor"] == {"id": "dr-md", "role": "medical_director", "org": "pc"}

    pair.sync()
    at_mso = pair.mso.get(f"/billing/invoices/{february['id']}", headers=AUDITOR).json()
    assert at_mso["pc_answer"]["answer"] == "disputed"
    assert at_mso["pc_answer"]["reason"] == "February refunds are missing"
    assert at_mso["pc_answer"]["decision_id"] == answer["decision_id"]
    assert at_mso["pc_answer"]["answered_at"] is not None
    jan_at_mso = pair.mso.get(f"/billing/invoices/{january['id']}", headers=AUDITOR).json()
    assert jan_at_mso["pc_answer"]["answer"] == "accepted"
    rows = pair.mso.get("/billing/invoices", headers=AUDITOR).json()["items"]
    assert [(r["month"], r["pc_answer"]) for r in rows] == [
        ("2027-01", "accepted"),
        ("2027-02", "disputed"),
    ]
    assert rows[1]["pc_decision_id"] == answer["decision_id"]
    only = pair.mso.get("/billing/invoices", params={"pc_answer": "none"}, headers=AUDITOR)
    assert only.json()["items"] == []

    fix = pair.mso.post(
        f"/billing/invoices/{january['id']}/corrections", json={"reason": "x"}, headers=BILLING
    )
    assert fix.status_code == 409, "nothing changed: the dispute does not edit the invoice"


def test_a_superseded_invoice_is_not_answered_its_correction_is(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01", "percentage_of_net_collections", {"percentage": "5"})
    site_id = collections(pair)
    february = invoiced(pair, "2027-02")
    paid(pair, site_id, "F-3", "100.00", "2027-02-26")
    fix = pair.mso.post(
        f"/billing/invoices/{february['id']}/corrections", json={"reason": "late"}, headers=BILLING
    ).json()
    pair.sync()
    stale = pair.pc.post(
        f"/msa/invoices/{february['id']}/accept",
        json={"fee": february["fee"]},
        headers=MEDICAL_DIRECTOR,
    )
    assert stale.status_code == 409
    assert stale.json()["type"] == "/problems/msa-invoice-superseded"
    accepted = pair.pc.post(
        f"/msa/invoices/{fix['id']}/accept", json={"fee": fix["fee"]}, headers=MEDICAL_DIRECTOR
    )
    assert accepted.status_code == 200, accepted.text
    pair.sync()
    assert (
        pair.mso.get(f"/billing/invoices/{february['id']}", headers=AUDITOR).json()["pc_answer"]
        is None
    )


def test_a_version_is_used_only_once_countersigned_and_never_once_declined(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    collections(pair)
    first = add_version(pair, "2026-12-01", countersign=False)
    assert first.json()["status"] == "proposed"
    refused = issue(pair, "2027-01")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/fee-schedule-not-countersigned"
    assert refused.json()["schedule_version"] == 1
    pair.sync()
    proposals = pair.pc.get("/msa/fee-schedule/versions", headers=PHYSICIAN).json()["items"]
    assert [(p["schedule_version"], p["status"]) for p in proposals] == [(1, "proposed")]
    version_one = pair.pc.get("/msa/fee-schedule/versions/1", headers=AUDITOR)
    assert version_one.json()["terms"] == {"monthly_amount": "15000.00"}
    assert version_one.json()["fmv_basis"]["assessed_by"] == "Valuation Partners LLC"

    countersign = "/msa/fee-schedule/versions/1/countersign"
    signs = {"effective_from": "2026-12-01"}
    for role in ("physician", "pc_quality", "auditor", "mso_billing"):
        assert pair.pc.post(countersign, json=signs, headers=auth(role)).status_code == 403, role
    other_day = pair.pc.post(
        countersign, json={"effective_from": "2027-01-01"}, headers=MEDICAL_DIRECTOR
    )
    assert other_day.status_code == 422, "a countersignature names the day it signs"
    assert (
        pair.pc.post(
            "/msa/fee-schedule/versions/1/decline", json={}, headers=MEDICAL_DIRECTOR
        ).status_code
        == 422
    )
    assert (
        pair.pc.post(
            "/msa/fee-schedule/versions/9/countersign", json=signs, headers=MEDICAL_DIRECTOR
        ).status_code
        == 404
    )
    signed = answer_version(pair, 1, "countersign")
    assert (signed["status"], signed["answer"]["answered_by_role"]) == (
        "countersigned",
        "medical_director",
    )
    again = pair.pc.post(countersign, json=signs, headers=MEDICAL_DIRECTOR)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/fee-schedule-proposal-answered"
    at_mso = pair.mso.get("/billing/fee-schedule/versions/1", headers=AUDITOR).json()
    assert at_mso["status"] == "countersigned"
    assert at_mso["pc_answer"]["decision_id"] == signed["answer"]["decision_id"]
    assert invoiced(pair, "2027-01")["schedule_version"] == 1

    assert add_version(pair, "2027-02-01", "hybrid", HYBRID, countersign=False).status_code == 201
    waiting = issue(pair, "2027-02")
    assert waiting.status_code == 409, "version 2 is in force in February but not countersigned"
    assert waiting.json()["type"] == "/problems/fee-schedule-not-countersigned"
    in_force = pair.mso.get(
        "/billing/fee-schedule/in-force", params={"month": "2027-02"}, headers=AUDITOR
    )
    assert in_force.status_code == 409
    answer_version(pair, 2, "countersign", note="FMV opinion reviewed")
    february = invoiced(pair, "2027-02")
    assert (february["schedule_version"], february["fee"]) == (2, "12000.00")

    assert add_version(pair, "2027-03-01", countersign=False).status_code == 201
    declined = answer_version(pair, 3, "decline", reason="no FMV support for the raise")
    assert (declined["status"], declined["answer"]["reason"]) == (
        "declined",
        "no FMV support for the raise",
    )
    monkeypatch.setattr(mso_clock, "today", lambda: date(2027, 4, 15))
    march = invoiced(pair, "2027-03")
    assert march["schedule_version"] == 2, "the declined version is passed over"
    rows = pair.mso.get("/billing/fee-schedule/versions", headers=AUDITOR).json()["items"]
    assert [(r["number"], r["status"]) for r in rows] == [
        (1, "countersigned"),
        (2, "countersigned"),
        (3, "declined"),
    ]
    declined_only = pair.mso.get(
        "/billing/fee-schedule/versions", params={"status": "declined"}, headers=AUDITOR
    ).json()["items"]
    assert [r["number"] for r in declined_only] == [3]
    messages = pc_feed(pair, "msa-fee-schedule.answered")
    assert [(m["payload"]["schedule_version"], m["payload"]["answer"]) for m in messages] == [
        (1, "countersigned"),
        (2, "countersigned"),
        (3, "declined"),
    ]


def test_a_declined_only_schedule_leaves_no_version_in_force(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01", countersign=False).status_code == 201
    answer_version(pair, 1, "decline", reason="not at fair market value")
    refused = issue(pair, "2027-01")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/no-fee-schedule-in-force"
    in_force = pair.mso.get(
        "/billing/fee-schedule/in-force", params={"month": "2027-01"}, headers=AUDITOR
    )
    assert in_force.status_code == 404


def test_a_version_the_pc_never_received_is_proposed_again(pair: Pair) -> None:
    """Versions recorded before proposals were published: the PC's follower passed their
    positions long ago. The MSO publishes such a version again, and the PC answers it."""
    assert add_version(pair, "2026-12-01", countersign=False).status_code == 201
    feed = pair.mso.get("/contracts/v1/feed", params={"limit": 100}, headers=SERVICE).json()
    [proposal] = [m for m in feed["messages"] if m["type"] == "msa-fee-schedule.proposed"]
    pc_app = pair.pc_runtime.application
    pc_app.skip_message(
        Tracking(application_name=SUBSCRIPTION, notification_id=proposal["position"])
    )
    pair.sync()
    missing = pair.pc.get("/msa/fee-schedule/versions/1", headers=MEDICAL_DIRECTOR)
    assert missing.status_code == 404
    assert issue(pair, "2027-01").json()["type"] == "/problems/fee-schedule-not-countersigned"

    resend = "/billing/fee-schedule/versions/1/proposal"
    assert pair.mso.post(resend, headers=auth("mso_scheduler")).status_code == 403
    assert (
        pair.mso.post("/billing/fee-schedule/versions/5/proposal", headers=BILLING).status_code
        == 404
    )
    stale = pair.mso.post(resend, headers={**BILLING, "If-Match": '"1"'})
    assert stale.status_code == 412
    again = pair.mso.post(resend, headers={**BILLING, "If-Match": '"2"'})
    assert again.status_code == 200, again.text
    assert (again.json()["number"], again.json()["status"]) == (1, "proposed")
    answer_version(pair, 1, "countersign")
    assert invoiced(pair, "2027-01")["schedule_version"] == 1
    answered = pair.mso.post(resend, headers=BILLING)
    assert answered.status_code == 409
    assert answered.json()["type"] == "/problems/fee-schedule-answer-conflict"
