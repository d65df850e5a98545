"""What the billing tests share: a clock, the service pair, steps over HTTP, read models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.mso_ops.application import clock as mso_clock
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN
from tests.integration.policy_feed import deliver_coding_rules
from tests.integration.services import Pair, service_pair

BILLING = auth("mso_billing", "bo")
SERVICE = auth("service", "pc-governance")
MEDICAL_DIRECTOR = auth("medical_director", "dr-md")
TODAY = date(2027, 3, 15)
TABLES = ("mso_claims", "mso_fee_schedule_versions", "mso_invoices")


@pytest.fixture
def pair(store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.setattr(mso_clock, "today", lambda: TODAY)
    with service_pair(store_url) as the_pair:
        yield the_pair


def site_with_lines(pair: Pair, *codes: str, name: str = "Eastside High") -> str:
    site = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert site.status_code == 201, site.text
    site_id = str(site.json()["id"])
    for code in codes or ("sports_clearance",):
        line = pair.mso.post(f"/sites/{site_id}/service-lines", json={"code": code}, headers=ADMIN)
        assert line.status_code == 201, line.text
    deliver_coding_rules(pair, *(codes or ("sports_clearance",)))  # what a claim is coded under
    return site_id


def claim_body(site_id: str, number: str, **overrides: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "payer": "Blue Shield of California",
        "claim_number": number,
        "billed_amount": "200.00",
        "service_date": "2027-01-08",
        "submitted_on": "2027-01-10",
        **overrides,
    }


def submit(pair: Pair, site_id: str, number: str, **overrides: Any) -> dict[str, Any]:
    response = pair.mso.post(
        "/billing/claims", json=claim_body(site_id, number, **overrides), headers=BILLING
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def step(
    pair: Pair, claim_id: str, name: str, headers: dict[str, str] = BILLING, **body: Any
) -> dict[str, Any]:
    response = pair.mso.post(f"/billing/claims/{claim_id}/{name}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    result: dict[str, Any] = response.json()
    return result


def paid(pair: Pair, site_id: str, number: str, amount: str, on: str, **overrides: Any) -> str:
    """A claim submitted, then paid `amount` on `on`; returns its id."""
    claim = submit(pair, site_id, number, billed_amount=amount, **overrides)
    step(pair, claim["id"], "payment", on=on, amount=amount)
    return str(claim["id"])


def add_version(
    pair: Pair,
    effective_from: str,
    kind: str = "fixed_monthly",
    terms: dict[str, Any] | None = None,
    headers: dict[str, str] = BILLING,
    countersign: bool = True,
    **extra: Any,
) -> Any:
    """Propose a version at the MSO; unless told not to, the PC countersigns it and the
    countersignature is delivered back (a version is used for invoices only then)."""
    body = {
        "effective_from": effective_from,
        "kind": kind,
        "terms": terms if terms is not None else {"monthly_amount": "15000.00"},
        "fmv_basis": {
            "assessed_by": "Valuation Partners LLC",
            "assessed_on": "2026-11-02",
            "document_ref": "FMV-2026-11",
        },
        **extra,
    }
    response = pair.mso.post("/billing/fee-schedule/versions", json=body, headers=headers)
    if countersign and response.status_code == 201:
        answer_version(pair, response.json()["number"], "countersign")
    return response


def answer_version(pair: Pair, number: int, answer: str, **body: Any) -> dict[str, Any]:
    """The PC countersigns or declines a proposed version; both sides synced after."""
    pair.sync()
    if answer == "countersign":  # a countersignature names the day it signs
        proposed = pair.pc.get(f"/msa/fee-schedule/versions/{number}", headers=MEDICAL_DIRECTOR)
        body = {"effective_from": proposed.json()["effective_from"], **body}
    answered = pair.pc.post(
        f"/msa/fee-schedule/versions/{number}/{answer}", json=body, headers=MEDICAL_DIRECTOR
    )
    assert answered.status_code == 200, answered.text
    pair.sync()
    result: dict[str, Any] = answered.json()
    return result


def invoice_messages(pair: Pair) -> list[dict[str, Any]]:
    feed = pair.mso.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    return [m["payload"] for m in feed["messages"] if m["type"] == "msa-fee-invoice.issued"]


def read_models(pair: Pair) -> dict[str, list[tuple[Any, ...]]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(tables[name]).order_by("position"))]
            for name in TABLES
        }
