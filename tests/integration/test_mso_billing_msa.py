"""The MSA fee over HTTP, on each backend: the versioned schedule, invoices, corrections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.msa_helpers import collections as february_collections
from tests.integration.mso_billing_helpers import (
    BILLING,
    add_version,
    invoice_messages,
    paid,
    pair,
    read_models,
)
from tests.integration.services import Pair

__all__ = ["pair"]  # fixture

HYBRID = {"base_amount": "10000.00", "percentage": "4.5", "floor": "12000.00", "cap": "30000"}


def schedule_with_two_versions(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01").status_code == 201
    schedule = pair.mso.get("/billing/fee-schedule", headers=BILLING)
    hybrid = add_version(
        pair,
        "2027-02-01",
        "hybrid",
        HYBRID,
        headers={**ADMIN, "If-Match": schedule.headers["ETag"]},
    )
    assert hybrid.status_code == 201, hybrid.text


def test_fee_schedule_versions_carry_their_fmv_basis_and_one_is_in_force_per_month(
    pair: Pair,
) -> None:
    added = add_version(pair, "2026-12-01", idempotency_key=None)
    assert added.status_code == 422, "the body is strict"
    first = add_version(pair, "2026-12-01")
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == "/billing/fee-schedule/versions/1"
    assert first.json()["terms"] == {
        "monthly_amount": "15000.00",
        "base_amount": None,
        "percentage": None,
        "floor": None,
        "cap": None,
    }
    stale = add_version(
        pair, "2027-02-01", "hybrid", HYBRID, headers={**BILLING, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    schedule_with_two_versions_rest = add_version(
        pair, "2027-02-01", "hybrid", HYBRID, headers={**BILLING, "If-Match": first.headers["ETag"]}
    )
    assert schedule_with_two_versions_rest.status_code == 201
    schedule = pair.mso.get("/billing/fee-schedule", headers=AUDITOR)
    assert schedule.headers["ETag"] == '"3"'
    [fixed, hybrid] = schedule.json()["versions"]
    assert fixed["fmv_basis"] == {
        "assessed_by": "Valuation Partners LLC",
        "assessed_on": "2026-11-02",
        "document_ref": "FMV-2026-11",
    }
    assert (hybrid["number"], hybrid["kind"], hybrid["recorded_by"]) == (2, "hybrid", "bo")
    assert hybrid["terms"]["cap"] == "30000.00"

    def in_force(month: str) -> Any:
        return pair.mso.get(
            "/billing/fee-schedule/in-force", params={"month": month}, headers=AUDITOR
        )

    assert in_force("2027-01").json()["number"] == 1
    assert in_force("2027-02").json()["number"] == 2
    assert in_force("2026-11").status_code == 404
    assert in_force("2026-13").status_code == 422
    assert pair.mso.get("/billing/fee-schedule/versions/2", headers=AUDITOR).json() == hybrid
    assert pair.mso.get("/billing/fee-schedule/versions/3", headers=AUDITOR).status_code == 404

    pair.sync()
    rows = pair.mso.get(
        "/billing/fee-schedule/versions", params={"kind": "hybrid"}, headers=AUDITOR
    ).json()["items"]
    assert [(r["number"], r["base_amount"], r["percentage"], r["floor"]) for r in rows] == [
        (2, "10000.00", "4.5", "12000.00")
    ]


def test_referral_based_or_malformed_schedules_are_refused_and_nothing_is_written(
    pair: Pair,
) -> None:
    head = pair.mso_runtime.application.head_position()
    referral_terms = [
        {"monthly_amount": "1000.00", "per_referral_amount": "50.00"},
        {"monthly_amount": "1000.00", "referral_volume_bonus": "500.00"},
        {"monthly_amount": "1000.00", "per_patient_referred": "5.00"},
    ]
    for terms in referral_terms:
        refused = add_version(pair, "2027-01-01", terms=terms)
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"] == "/problems/referral-based-fee-term"
    referral_kind = add_version(pair, "2027-01-01", "per_referral", {"amount": "50.00"})
    assert referral_kind.status_code == 422
    assert referral_kind.json()["errors"][0]["field"] == "body.kind"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"terms": {"monthly_amount": "1.00", "bonus": "2.00"}}, "invalid-fee-schedule"),
        ({"kind": "hybrid", "terms": {"base_amount": "1.00"}}, "invalid-fee-schedule"),
        ({"terms": {"monthly_amount": "1.001"}}, "invalid-request"),
        ({"effective_from": "2027-01-02"}, "invalid-fee-schedule"),
        (
            {"kind": "hybrid", "terms": {**HYBRID, "floor": "40000.00"}},
            "invalid-fee-schedule",
        ),
    ]
    for changes, problem in cases:
        arguments: dict[str, Any] = {"effective_from": "2027-01-01", **changes}
        refused = add_version(pair, **arguments)
        assert refused.status_code == 422, (changes, refused.text)
        assert refused.json()["type"] == f"/problems/{problem}", changes
    late_fmv = pair.mso.post(
        "/billing/fee-schedule/versions",
        json={
            "effective_from": "2027-01-01",
            "kind": "fixed_monthly",
            "terms": {"monthly_amount": "1.00"},
            "fmv_basis": {"assessed_by": "V", "assessed_on": "2027-01-05", "document_ref": "D"},
        },
        headers=BILLING,
    )
    assert late_fmv.json()["field"] == "fmv_basis.assessed_on"
    assert pair.mso_runtime.application.head_position() == head
    assert pair.mso.get("/billing/fee-schedule", headers=BILLING).status_code == 404


def test_a_month_is_invoiced_once_line_by_line_and_published_to_the_pc(pair: Pair) -> None:
    schedule_with_two_versions(pair)
    february_collections(pair)
    issued = pair.mso.post("/billing/invoices", json={"month": "2027-02"}, headers=BILLING)
    assert issued.status_code == 201, issued.text
    invoice = issued.json()
    assert issued.headers["Location"] == f"/billing/invoices/{invoice['id']}"
    assert (invoice["month"], invoice["revision"], invoice["status"]) == ("2027-02", 1, "issued")
    assert (invoice["schedule_version"], invoice["schedule_kind"]) == (2, "hybrid")
    assert (invoice["payments"], invoice["refunds"], invoice["net_collections"]) == (
        "12345.67",
        "345.67",
        "12000.00",
    )
    assert [(line["code"], line["amount"]) for line in invoice["lines"]] == [
        ("base_fee", "10000.00"),
        ("percentage_of_net_collections", "540.00"),
        ("floor_adjustment", "1460.00"),
    ]
    assert sum(Decimal(line["amount"]) for line in invoice["lines"]) == Decimal(invoice["fee"])
    assert invoice["fee"] == "12000.00"
    assert invoice["fmv_basis"]["document_ref"] == "FMV-2026-11"

    head = pair.mso_runtime.application.head_position()
    again = pair.mso.post("/billing/invoices", json={"month": "2027-02"}, headers=ADMIN)
    assert again.status_code == 200
    assert again.json() == invoice
    assert pair.mso_runtime.application.head_position() == head

    january = pair.mso.post("/billing/invoices", json={"month": "2027-01"}, headers=BILLING)
    assert january.json()["fee"] == "15000.00", "fixed, whatever was collected"
    assert january.json()["net_collections"] == "999.00"

    [feb_message, jan_message] = invoice_messages(pair)
    assert feb_message["invoice_id"] == invoice["id"]
    assert feb_message["month"] == "2027-02-01"
    assert feb_message["fee"] == "12000.00"
    assert feb_message["corrects_invoice_id"] is None
    assert [line["code"] for line in feb_message["lines"]][-1] == "floor_adjustment"
    assert jan_message["schedule_kind"] == "fixed_monthly"


def test_a_month_not_ended_or_without_a_schedule_is_not_invoiced(pair: Pair) -> None:
    none_yet = pair.mso.post("/billing/invoices", json={"month": "2027-01"}, headers=BILLING)
    assert none_yet.status_code == 409
    assert none_yet.json()["type"] == "/problems/no-fee-schedule-in-force"
    schedule_with_two_versions(pair)
    cases = [
        ("2027-03", 409, "month-not-over"),
        ("2027-04", 409, "month-not-over"),
        ("2026-11", 409, "no-fee-schedule-in-force"),
        ("1999-01", 409, "no-fee-schedule-in-force"),
        ("0000-01", 422, "invalid-request"),
        ("2200-01", 422, "invalid-request"),
    ]
    for month, status, problem in cases:
        response = pair.mso.post("/billing/invoices", json={"month": month}, headers=BILLING)
        assert response.status_code == status, (month, response.text)
        assert response.json()["type"] == f"/problems/{problem}"
    assert invoice_messages(pair) == []


def test_a_correction_is_a_new_revision_that_supersedes_never_edits(pair: Pair) -> None:
    schedule_with_two_versions(pair)
    site_id = february_collections(pair)
    original = pair.mso.post("/billing/invoices", json={"month": "2027-02"}, headers=BILLING).json()
    url = f"/billing/invoices/{original['id']}/corrections"
    unchanged = pair.mso.post(url, json={"reason": "check"}, headers=BILLING)
    assert unchanged.status_code == 409
    assert unchanged.json()["type"] == "/problems/invoice-unchanged"

    paid(pair, site_id, "F-3", "300000.00", "2027-02-26")  # recorded after the invoice
    stale = pair.mso.post(url, json={"reason": "late"}, headers={**BILLING, "If-Match": '"2"'})
    assert stale.status_code == 412
    corrected = pair.mso.post(
        url,
        json={"reason": "payments recorded after issue"},
        headers={**BILLING, "If-Match": '"1"', "Idempotency-Key": "fix-feb"},
    )
    assert corrected.status_code == 201, corrected.text
    fix = corrected.json()
    assert (fix["revision"], fix["corrects_invoice_id"], fix["status"]) == (
        2,
        original["id"],
        "issued",
    )
    assert fix["net_collections"] == "312000.00"
    assert fix["fee"] == "24040.00"
    assert fix["lines"][-1]["code"] == "percentage_of_net_collections"
    replay = pair.mso.post(
        url,
        json={"reason": "payments recorded after issue"},
        headers={**BILLING, "Idempotency-Key": "fix-feb"},
    )
    assert replay.json() == fix
    assert replay.headers["Idempotent-Replayed"] == "true"

    before = pair.mso.get(f"/billing/invoices/{original['id']}", headers=AUDITOR).json()
    assert (before["status"], before["superseded_by"]) == ("superseded", fix["id"])
    assert (before["fee"], before["lines"]) == (original["fee"], original["lines"])
    twice = pair.mso.post(url, json={"reason": "again"}, headers=BILLING)
    assert twice.status_code == 409
    assert twice.json()["type"] == "/problems/invoice-superseded"
    current = pair.mso.post("/billing/invoices", json={"month": "2027-02"}, headers=BILLING)
    assert (current.status_code, current.json()["id"]) == (200, fix["id"])

    messages = invoice_messages(pair)
    assert [(m["revision"], m["corrects_invoice_id"]) for m in messages] == [
        (1, None),
        (2, original["id"]),
    ]
    assert messages[1]["correction_reason"] == "payments recorded after issue"

    later = add_version(pair, "2027-02-01", headers=BILLING)
    assert later.status_code == 409
    reaching_back = add_version(pair, "2027-03-01")
    assert reaching_back.status_code == 201, "after the last invoiced month"


def test_a_version_cannot_reach_back_into_an_invoiced_month(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01").status_code == 201
    issued = pair.mso.post("/billing/invoices", json={"month": "2027-02"}, headers=BILLING)
    assert issued.status_code == 201
    refused = add_version(pair, "2027-01-01")  # after version 1, but February is invoiced
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/fee-schedule-version-out-of-order"
    assert refused.json()["invoiced_through"] == "2027-02"


def test_billing_and_admins_write_the_auditor_reads_and_no_one_else(pair: Pair) -> None:
    for role in ("mso_scheduler", "auditor", "vendor", "medical_director", "service"):
        assert add_version(pair, "2027-01-01", headers=auth(role)).status_code == 403, role
        refused = pair.mso.post("/billing/invoices", json={"month": "2027-01"}, headers=auth(role))
        assert refused.status_code == 403, role
    assert add_version(pair, "2027-01-01", headers=ADMIN).status_code == 201
    for path in ("/billing/fee-schedule", "/billing/fee-schedule/versions", "/billing/invoices"):
        assert pair.mso.get(path, headers=SCHEDULER).status_code == 403, path
        assert pair.mso.get(path, headers=AUDITOR).status_code == 200, path
        assert pair.mso.get(path).status_code == 401, path


def test_lists_filter_page_and_rebuild_to_the_live_rows(pair: Pair) -> None:
    schedule_with_two_versions(pair)
    site_id = february_collections(pair)
    for month in ("2026-12", "2027-01", "2027-02"):
        response = pair.mso.post("/billing/invoices", json={"month": month}, headers=BILLING)
        assert response.status_code == 201, response.text
    paid(pair, site_id, "F-9", "100.00", "2027-01-15")
    pair.sync()
    january = pair.mso.get("/billing/invoices", headers=AUDITOR).json()["items"][1]
    fix = pair.mso.post(
        f"/billing/invoices/{january['id']}/corrections", json={"reason": "late"}, headers=BILLING
    )
    assert fix.status_code == 201, fix.text
    pair.sync()

    def listed(**params: Any) -> list[tuple[str, int, str]]:
        response = pair.mso.get("/billing/invoices", params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return [(r["month"], r["revision"], r["status"]) for r in response.json()["items"]]

    assert listed() == [
        ("2026-12", 1, "issued"),
        ("2027-01", 1, "superseded"),
        ("2027-02", 1, "issued"),
        ("2027-01", 2, "issued"),
    ]
    assert listed(status="issued", month_from="2027-01") == [
        ("2027-02", 1, "issued"),
        ("2027-01", 2, "issued"),
    ]
    assert listed(month_to="2027-01") == [
        ("2026-12", 1, "issued"),
        ("2027-01", 1, "superseded"),
        ("2027-01", 2, "issued"),
    ]
    page = pair.mso.get("/billing/invoices", params={"limit": 2}, headers=AUDITOR).json()
    rest = pair.mso.get(
        "/billing/invoices", params={"cursor": page["next_cursor"]}, headers=AUDITOR
    ).json()
    assert len(page["items"]) + len(rest["items"]) == 4
    assert rest["next_cursor"] is None
    assert (
        pair.mso.get(
            "/billing/invoices", params={"month_from": "2027"}, headers=AUDITOR
        ).status_code
        == 422
    )

    live = read_models(pair)
    assert [len(live[name]) for name in ("mso_fee_schedule_versions", "mso_invoices")] == [2, 4]
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
