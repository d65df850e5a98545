"""What the MSA two-sides tests share: invoices issued at the MSO, the PC's feed."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.mso_billing_helpers import BILLING, SERVICE, paid, site_with_lines, step
from tests.integration.services import Pair

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
    """Payments 12,345.67 and a refund of 345.67 dated in February; 999 paid in January."""
    site_id = site_with_lines(pair)
    paid(pair, site_id, "F-1", "10000.00", "2027-02-03")
    refunded = paid(pair, site_id, "F-2", "2345.67", "2027-02-27")
    step(pair, refunded, "refund", on="2027-02-28", amount="345.67", reason="duplicate_payment")
    paid(pair, site_id, "J-1", "999.00", "2027-01-31")
    return site_id
