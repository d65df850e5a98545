"""Request and response bodies of claims, and the money and month types of billing.

Money travels as a decimal string with two places ("125.00"); requests may send a
JSON number or a string, with at most two decimal places.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from mhg.bounded import MAX_MONEY, Day, DecimalText
from mhg.views import showing
from services.mso_ops.api.schemas import (
    ServiceLineCode,
    Strict,
    Text,
    account_named,
    example,
)
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.msa_fee import from_cents

Money = Annotated[
    Decimal,
    Field(gt=0, lt=MAX_MONEY, max_digits=12, decimal_places=2, examples=["125.00"]),
    DecimalText(9, 2),
]
Amount = Annotated[
    Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")
]
ClaimStatus = Literal["submitted", "accepted", "denied", "appealed", "paid"]
RefundReason = Literal["overpayment", "duplicate_payment", "payer_recoupment", "patient_refund"]
Reference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/\-]+$"
    ),
]


class ClaimIn(Strict):
    """A claim as the payer knows it: no patient, diagnosis or procedure."""

    site_id: UUID
    service_line: ServiceLineCode
    payer: Text = Field(examples=["Blue Shield of California"])
    claim_number: Reference = Field(
        description="The claim's number with the payer; one claim per payer and number",
        examples=["BSC-2027-000123"],
    )
    billed_amount: Money
    service_date: Day
    submitted_on: Day = Field(description="On or after the service Day, not after today")
    account_id: UUID | None = account_named()


class StepIn(Strict):
    model_config = example({"on": "2026-11-06"})
    on: Day = Field(
        description="When it happened: not before the claim's last step nor after today"
    )


class DenialIn(StepIn):
    model_config = example({"on": "2026-11-10", "reason_code": "CO-16"})
    reason_code: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9\-]+$"
        ),
    ] = Field(description="The payer's claim adjustment reason code", examples=["CO-16"])


class AppealIn(StepIn):
    model_config = example({"on": "2026-11-14", "reference": "APL-7781"})
    reference: Reference = Field(description="The appeal's reference", examples=["APL-7781"])


class PaymentIn(StepIn):
    model_config = example({"on": "2026-11-20", "amount": "125.00"})
    amount: Money = Field(description="Paid by the payer; at most the billed amount")


class RefundIn(StepIn):
    model_config = example({"on": "2026-11-23", "amount": "25.00", "reason": "overpayment"})
    amount: Money = Field(description="Returned to the payer; refunds total at most the payment")
    reason: RefundReason


class ClaimBilled(BaseModel):
    """What a claim's answer and its list row both show: who was billed, for what, how much."""

    id: UUID
    site_id: UUID
    service_line: str
    payer: str
    claim_number: str
    billed_amount: Amount


class ClaimOut(ClaimBilled):
    service_date: date
    submitted_on: date
    status: str
    denial_reason: str | None
    denials: int
    appeals: int
    paid_on: date | None
    paid_amount: Amount | None
    refunded_amount: Amount
    first_response: str | None = Field(description="accepted, denied or paid")
    clean: bool | None = Field(description="Not denied at first response (None until then)")
    initially_denied: bool | None = Field(
        description="First adjudication was a denial (None until adjudicated)"
    )
    days_to_payment: int | None
    version: int

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        return showing(cls, claim, refunded_amount=claim.refunded)


class ClaimRow(ClaimBilled):
    submitted_on: date
    status: str
    denial_reason: str | None
    paid_on: date | None
    paid_amount: Amount | None
    refunded_amount: Amount
    clean: bool | None
    initially_denied: bool | None
    ar_balance: Amount = Field(description="Open receivable: the billed amount until paid")
    days_to_payment: int | None
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _of_row(cls, row: Any) -> Any:  # a read-model row: amounts in cents
        if not isinstance(row, Mapping) or "billed_cents" not in row:
            return row
        paid = row["paid_cents"]
        return {
            **row,
            "billed_amount": from_cents(row["billed_cents"]),
            "paid_amount": None if paid is None else from_cents(paid),
            "refunded_amount": from_cents(row["refunded_cents"]),
            "ar_balance": from_cents(row["ar_balance_cents"]),
        }
