"""Claims over HTTP, on each backend: lifecycle, KPI facts, refusals, roles, lists, rebuild."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.mso_billing_helpers import (
    BILLING,
    claim_body,
    pair,
    read_models,
    site_with_lines,
    step,
    submit,
)
from tests.integration.services import Pair

__all__ = ["pair"]  # fixture


def test_a_claim_is_followed_from_submission_to_payment_and_refund(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    first = pair.mso.post("/billing/claims", json=claim_body(site_id, "BSC-1"), headers=BILLING)
    assert first.status_code == 201, first.text
    claim = first.json()
    assert first.headers["Location"] == f"/billing/claims/{claim['id']}"
    assert first.headers["ETag"] == '"1"'
    assert (claim["status"], claim["billed_amount"], claim["clean"]) == (
        "submitted",
        "200.00",
        None,
    )

    step(pair, claim["id"], "acceptance", on="2027-01-12")
    step(pair, claim["id"], "payment", on="2027-02-09", amount="150.5")
    refunded = step(
        pair, claim["id"], "refund", headers=ADMIN, on="2027-02-20", amount=20, reason="overpayment"
    )
    assert refunded["status"] == "paid"
    assert (refunded["paid_amount"], refunded["refunded_amount"]) == ("150.50", "20.00")
    assert (refunded["first_response"], refunded["clean"], refunded["initially_denied"]) == (
        "accepted",
        True,
        False,
    )
    assert refunded["days_to_payment"] == 30
    got = pair.mso.get(f"/billing/claims/{claim['id']}", headers=AUDITOR)
    assert got.json() == refunded
    assert got.headers["ETag"] == '"4"'

    pair.sync()
    [row] = pair.mso.get("/billing/claims", headers=AUDITOR).json()["items"]
    assert row["ar_balance"] == "0.00"
    assert row["paid_amount"] == "150.50"
    assert row["refunded_amount"] == "20.00"
    assert (row["clean"], row["initially_denied"], row["days_to_payment"]) == (True, False, 30)


def test_denials_and_appeals_are_kept_as_the_kpis_define_them(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    rejected = submit(pair, site_id, "BSC-2")["id"]
    step(pair, rejected, "denial", on="2027-01-15", reason_code="co-16")
    appealed = step(pair, rejected, "appeal", on="2027-01-20", reference="APL-7781")
    assert (appealed["status"], appealed["denial_reason"], appealed["appeals"]) == (
        "appealed",
        "CO-16",
        1,
    )
    recovered = step(pair, rejected, "payment", on="2027-03-01", amount="200.00")
    assert (recovered["clean"], recovered["initially_denied"]) == (False, True)

    adjudicated = submit(pair, site_id, "BSC-3")["id"]
    step(pair, adjudicated, "acceptance", on="2027-01-11")
    late = step(pair, adjudicated, "denial", on="2027-02-01", reason_code="CO-197")
    assert (late["clean"], late["initially_denied"], late["status"]) == (True, True, "denied")

    pending = submit(pair, site_id, "BSC-4", billed_amount="80.00")["id"]
    pair.sync()
    rows = {r["id"]: r for r in pair.mso.get("/billing/claims", headers=BILLING).json()["items"]}
    assert rows[pending]["ar_balance"] == "80.00"
    assert (rows[pending]["clean"], rows[pending]["initially_denied"]) == (None, None)
    assert rows[adjudicated]["ar_balance"] == "200.00"
    denied = pair.mso.get(
        "/billing/claims", params={"initially_denied": "true"}, headers=BILLING
    ).json()["items"]
    assert {r["id"] for r in denied} == {rejected, adjudicated}


def test_refusals_name_the_problem_and_write_nothing(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    claim = submit(pair, site_id, "BSC-5")
    url = f"/billing/claims/{claim['id']}"
    head = pair.mso_runtime.application.head_position()
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("POST", "/billing/claims", claim_body(site_id, "BSC-5"), 409, "claim-already-submitted"),
        ("POST", "/billing/claims", claim_body(claim["id"], "X-1"), 422, "invalid-claim"),
        (
            "POST",
            "/billing/claims",
            claim_body(site_id, "X-2", service_line="school_physical"),
            422,
            "invalid-claim",
        ),
        (
            "POST",
            "/billing/claims",
            claim_body(site_id, "X-3", submitted_on="2027-03-16"),
            422,
            "invalid-claim-date",
        ),
        (
            "POST",
            "/billing/claims",
            claim_body(site_id, "X-4", billed_amount="10.005"),
            422,
            "invalid-request",
        ),
        (
            "POST",
            f"{url}/appeal",
            {"on": "2027-01-12", "reference": "A"},
            409,
            "invalid-claim-transition",
        ),
        ("POST", f"{url}/acceptance", {"on": "2027-01-09"}, 422, "invalid-claim-date"),
        ("POST", f"{url}/payment", {"on": "2027-02-01", "amount": "200.01"}, 422, "invalid-claim"),
        ("POST", f"{url}/payment", {"on": "2027-02-01", "amount": "-1"}, 422, "invalid-request"),
        (
            "POST",
            f"{url}/refund",
            {"on": "2027-02-01", "amount": "1.00", "reason": "overpayment"},
            409,
            "invalid-claim-transition",
        ),
        (
            "POST",
            f"{url}/denial",
            {"on": "2027-02-01", "reason_code": "CO 16"},
            422,
            "invalid-request",
        ),
        (
            "POST",
            f"/billing/claims/{site_id}/acceptance",
            {"on": "2027-02-01"},
            404,
            "claim-not-found",
        ),
    ]
    for method, path, body, status, problem in cases:
        response = pair.mso.request(method, path, json=body, headers=BILLING)
        assert response.status_code == status, (path, body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == f"/problems/{problem}", (path, body)
    invalid = pair.mso.post(
        "/billing/claims", json=claim_body(site_id, "X-5", billed_amount="1.001"), headers=BILLING
    ).json()
    assert [e["field"] for e in invalid["errors"]] == ["body.billed_amount"]
    assert pair.mso_runtime.application.head_position() == head

    step(pair, claim["id"], "payment", on="2027-02-01", amount="100.00")
    over = pair.mso.post(
        f"{url}/refund",
        json={"on": "2027-02-02", "amount": "100.01", "reason": "overpayment"},
        headers=BILLING,
    )
    assert over.status_code == 422
    assert over.json()["type"] == "/problems/refund-exceeds-payment"
    assert over.json()["refundable"] == "100.00"


def test_steps_honour_if_match(pair: Pair) -> None:
    claim = submit(pair, site_with_lines(pair), "BSC-6")
    url = f"/billing/claims/{claim['id']}/acceptance"
    stale = pair.mso.post(url, json={"on": "2027-01-12"}, headers={**BILLING, "If-Match": '"2"'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/stale-version"
    ok = pair.mso.post(url, json={"on": "2027-01-12"}, headers={**BILLING, "If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    assert ok.headers["ETag"] == '"2"'


def test_a_submission_with_an_idempotency_key_is_recorded_once(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    headers = {**BILLING, "Idempotency-Key": "claim-bsc-7"}
    first = pair.mso.post("/billing/claims", json=claim_body(site_id, "BSC-7"), headers=headers)
    again = pair.mso.post("/billing/claims", json=claim_body(site_id, "BSC-7"), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = pair.mso.post("/billing/claims", json=claim_body(site_id, "BSC-8"), headers=headers)
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"


def test_billing_and_admins_write_the_auditor_reads_and_no_one_else(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    claim = submit(pair, site_id, "BSC-9")
    for role in ("mso_scheduler", "auditor", "vendor", "medical_director", "service"):
        headers = auth(role)
        assert (
            pair.mso.post("/billing/claims", json=claim_body(site_id, "R-1"), headers=headers)
        ).status_code == 403, role
        assert (
            pair.mso.post(
                f"/billing/claims/{claim['id']}/acceptance",
                json={"on": "2027-01-12"},
                headers=headers,
            )
        ).status_code == 403, role
    assert pair.mso.get("/billing/claims", headers=SCHEDULER).status_code == 403
    assert pair.mso.get(f"/billing/claims/{claim['id']}", headers=SCHEDULER).status_code == 403
    assert pair.mso.get("/billing/claims").status_code == 401
    assert pair.mso.get("/billing/claims", headers=AUDITOR).status_code == 200
    submit_as_admin = pair.mso.post(
        "/billing/claims", json=claim_body(site_id, "R-2"), headers=ADMIN
    )
    assert submit_as_admin.status_code == 201


def test_lists_filter_page_and_rebuild_to_the_live_rows(pair: Pair) -> None:
    east = site_with_lines(pair, "sports_clearance", "school_physical")
    west = site_with_lines(pair, "sports_clearance", name="West Campus")
    ids = {
        "jan": submit(pair, east, "C-1")["id"],
        "feb": submit(pair, east, "C-2", submitted_on="2027-02-03", service_line="school_physical")[
            "id"
        ],
        "west": submit(pair, west, "C-3", submitted_on="2027-02-10")["id"],
        "mar": submit(pair, west, "C-4", submitted_on="2027-03-01")["id"],
    }
    step(pair, ids["jan"], "payment", on="2027-01-30", amount="200.00")
    step(pair, ids["west"], "denial", on="2027-02-12", reason_code="N-30")
    pair.sync()

    def listed(**params: Any) -> list[str]:
        response = pair.mso.get("/billing/claims", params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["items"]]

    assert listed() == [ids["jan"], ids["feb"], ids["west"], ids["mar"]]
    assert listed(site_id=west) == [ids["west"], ids["mar"]]
    assert listed(service_line="school_physical") == [ids["feb"]]
    assert listed(status="submitted") == [ids["feb"], ids["mar"]]
    assert listed(submitted_from="2027-02-01", submitted_before="2027-03-01") == [
        ids["feb"],
        ids["west"],
    ]
    first = pair.mso.get("/billing/claims", params={"limit": 3}, headers=AUDITOR).json()
    assert len(first["items"]) == 3
    rest = pair.mso.get(
        "/billing/claims", params={"limit": 3, "cursor": first["next_cursor"]}, headers=AUDITOR
    ).json()
    assert [r["id"] for r in rest["items"]] == [ids["mar"]]
    assert rest["next_cursor"] is None
    assert (
        pair.mso.get("/billing/claims", params={"status": "lost"}, headers=AUDITOR).status_code
        == 422
    )
    assert (
        pair.mso.get("/billing/claims", params={"cursor": "nope"}, headers=AUDITOR).status_code
        == 422
    )

    live = read_models(pair)
    assert len(live["mso_claims"]) == 4
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
