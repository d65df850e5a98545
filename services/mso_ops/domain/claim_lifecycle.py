"""A claim's lifecycle rules: its statuses, the steps each allows, and its amounts.

Steps are dated: a step's date is from the claim's last step to today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.mso_ops.domain.billing_errors import (
    InvalidClaim,
    InvalidClaimDate,
    InvalidClaimTransition,
)
from services.mso_ops.domain.msa_fee import CENT, MAX_AMOUNT, ZERO

SUBMITTED = "submitted"
ACCEPTED = "accepted"
DENIED = "denied"
APPEALED = "appealed"
PAID = "paid"
STATUSES = (SUBMITTED, ACCEPTED, DENIED, APPEALED, PAID)

ALLOWED: dict[str, set[str]] = {
    "accept": {SUBMITTED, APPEALED},
    "deny": {SUBMITTED, ACCEPTED, APPEALED},
    "appeal": {DENIED},
    "pay": {SUBMITTED, ACCEPTED, APPEALED},
    "refund": {PAID},
}
REFUND_REASONS = ("overpayment", "duplicate_payment", "payer_recoupment", "patient_refund")


def check_amount(amount: Decimal, field: str) -> None:
    if not (ZERO < amount <= MAX_AMOUNT and amount == amount.quantize(CENT)):
        raise InvalidClaim(f"{field} must be whole cents above 0", field=field)


def check_step(step: str, status: str, *, last_step_on: date, on: date, today: date) -> None:
    if status not in ALLOWED[step]:
        raise InvalidClaimTransition(
            f"the claim is {status}; cannot {step} it", current_status=status
        )
    if not last_step_on <= on <= today:
        raise InvalidClaimDate(
            f"the date must be from {last_step_on} (the claim's last step) to today",
            field="on",
        )
