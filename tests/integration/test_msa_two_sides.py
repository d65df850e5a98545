"""The MSA has two sides, on each backend: the PC sees each invoice with its computation,
accepts or disputes it, and the MSO sees the answer."""

from __future__ import annotations

import pytest

from tests.conftest import auth
from tests.integration.conftest import AUDITOR
from tests.integration.msa_helpers import (
    HYBRID,
    PHYSICIAN,
    collections,
    invoiced,
    pc_feed,
)
from tests.integration.mso_billing_helpers import (
    BILLING,
    MEDICAL_DIRECTOR,
    add_version,
    paid,
    pair,
)
from tests.integration.pages import every_page
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["pair"]  # fixture


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
