"""A claim the MSO's billing office submits to a payer for a service at a site.

Lifecycle (each step dated, the dates in order and never past today):

    submitted -> accepted | denied | paid
    accepted  -> denied | paid
    denied    -> appealed
    appealed  -> accepted | denied | paid
    paid      (refunds may follow, up to what was paid)

Acceptance is the payer taking the claim in for adjudication; a denial carries the
payer's reason code; a payment its amount. What the KPIs need is decided here, once:
- the first response (accepted, denied or paid): a claim is *clean* when it was not
  denied at first response;
- the first adjudication (denied or paid): a claim is *initially denied* when that
  was a denial, even if an appeal later got it paid;
- days to payment (for days in A/R): from submission to payment; until then the billed
  amount is an open receivable.
The events say which response and adjudication came first, so that a projection (the
claims list, the KPI facts) reads the decision instead of working it out again.
Minimum necessary: no patient, diagnosis or procedure is recorded here; the claim is
the payer's claim number, the amounts and the dates.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    InvalidClaim,
    InvalidClaimDate,
    RefundExceedsPayment,
)
from services.mso_ops.domain.claim_lifecycle import (
    ACCEPTED,
    APPEALED,
    DENIED,
    PAID,
    REFUND_REASONS,
    SUBMITTED,
    check_amount,
    check_step,
)
from services.mso_ops.domain.msa_fee import CENT, ZERO

_NAMESPACE = uuid.UUID("e2a7c4d9-1b3f-4e8a-b6d2-7f0c5a9e3b14")


class Adjudication(Aggregate.Event):
    """The fields of a payer's adjudication (a denial, a payment) besides its own facts:
    its day, and whether it was the claim's first response and first adjudication. Not an
    event of its own: `Claim.Denied` and `Claim.Paid` are."""

    on: date
    first_response: bool
    first_adjudication: bool
    meta: Meta


class Claim(Aggregate):
    @staticmethod
    def create_id(payer: str, claim_number: str) -> UUID:
        """A payer's claim number names one claim: submitting it twice is a conflict."""
        return uuid.uuid5(_NAMESPACE, f"{payer.strip().casefold()}|{claim_number.strip()}")

    @classmethod
    def submit(
        cls,
        *,
        site_id: UUID,
        service_line: str,
        payer: str,
        claim_number: str,
        billed_amount: Decimal,
        service_date: date,
        submitted_on: date,
        today: date,
        meta: Meta,
    ) -> Claim:
        check_amount(billed_amount, "billed_amount")
        if not payer.strip() or not claim_number.strip():
            raise InvalidClaim("a claim names its payer and the claim number", field="payer")
        if not service_date <= submitted_on <= today:
            raise InvalidClaimDate(
                "a claim is submitted on or after the day of service, and not after today",
                field="submitted_on",
            )
        return cls(
            id=cls.create_id(payer, claim_number),
            site_id=site_id,
            service_line=service_line,
            payer=payer.strip(),
            claim_number=claim_number.strip(),
            billed_amount=billed_amount.quantize(CENT),
            service_date=service_date,
            submitted_on=submitted_on,
            meta=meta,
        )

    class Submitted(Aggregate.Created):
        site_id: UUID
        service_line: str
        payer: str
        claim_number: str
        billed_amount: Decimal
        service_date: date
        submitted_on: date
        meta: Meta

    @event(Submitted)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        payer: str,
        claim_number: str,
        billed_amount: Decimal,
        service_date: date,
        submitted_on: date,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.payer = payer
        self.claim_number = claim_number
        self.billed_amount = billed_amount
        self.service_date = service_date
        self.submitted_on = submitted_on
        self.status = SUBMITTED
        self.last_step_on = submitted_on
        self.first_response: str | None = None
        self.first_adjudication: str | None = None
        self.denial_reason: str | None = None
        self.denials = 0
        self.appeals = 0
        self.paid_amount: Decimal | None = None
        self.paid_on: date | None = None
        self.refunded = ZERO

    # what the KPIs read
    @property
    def clean(self) -> bool | None:
        return None if self.first_response is None else self.first_response != DENIED

    @property
    def initially_denied(self) -> bool | None:
        return None if self.first_adjudication is None else self.first_adjudication == DENIED

    @property
    def days_to_payment(self) -> int | None:
        return None if self.paid_on is None else (self.paid_on - self.submitted_on).days

    # commands
    def accept(self, *, on: date, today: date, meta: Meta) -> None:
        self._check_step("accept", on, today)
        self._accepted(on=on, first_response=self.first_response is None, meta=meta)

    def deny(self, *, on: date, reason_code: str, today: date, meta: Meta) -> None:
        self._check_step("deny", on, today)
        if not reason_code.strip():
            raise InvalidClaim("a denial carries the payer's reason code", field="reason_code")
        self._denied(on=on, reason_code=reason_code.strip().upper(), meta=meta, **self._firsts())

    def appeal(self, *, on: date, reference: str, today: date, meta: Meta) -> None:
        self._check_step("appeal", on, today)
        if not reference.strip():
            raise InvalidClaim("an appeal carries its reference", field="reference")
        self._appealed(on=on, reference=reference.strip(), meta=meta)

    def record_payment(self, *, on: date, amount: Decimal, today: date, meta: Meta) -> None:
        self._check_step("pay", on, today)
        check_amount(amount, "amount")
        if amount > self.billed_amount:
            raise InvalidClaim(
                f"a payment cannot exceed the billed amount of {self.billed_amount}", field="amount"
            )
        self._paid(on=on, amount=amount.quantize(CENT), meta=meta, **self._firsts())

    def refund(self, *, on: date, amount: Decimal, reason: str, today: date, meta: Meta) -> None:
        self._check_step("refund", on, today)
        check_amount(amount, "amount")
        if reason not in REFUND_REASONS:
            raise InvalidClaim(f"reason must be one of {', '.join(REFUND_REASONS)}", field="reason")
        assert self.paid_amount is not None
        if self.refunded + amount > self.paid_amount:
            raise RefundExceedsPayment(
                f"{self.paid_amount} was paid and {self.refunded} refunded already",
                refundable=str(self.paid_amount - self.refunded),
            )
        self._refunded(on=on, amount=amount.quantize(CENT), reason=reason, meta=meta)

    def _check_step(self, step: str, on: date, today: date) -> None:
        check_step(step, self.status, last_step_on=self.last_step_on, on=on, today=today)

    def _firsts(self) -> dict[str, bool]:
        """Whether a payer's answer now would be the claim's first response, and its first
        adjudication (a payment or a denial)."""
        return {
            "first_response": self.first_response is None,
            "first_adjudication": self.first_adjudication is None,
        }

    def _stepped(
        self,
        status: str,
        on: date,
        first_response: bool = False,
        first_adjudication: bool = False,
    ) -> None:
        """A step taken on `on`: the claim's new status, its first response and first
        adjudication if this step was either."""
        self.status = status
        self.last_step_on = on
        if first_response:
            self.first_response = status
        if first_adjudication:
            self.first_adjudication = status

    # events
    class Accepted(Aggregate.Event):
        on: date
        first_response: bool
        meta: Meta

    @event(Accepted)
    def _accepted(self, on: date, first_response: bool, meta: Meta) -> None:
        self._stepped(ACCEPTED, on, first_response)

    class Denied(Adjudication):
        reason_code: str

    @event(Denied)
    def _denied(
        self, on: date, reason_code: str, first_response: bool, first_adjudication: bool, meta: Meta
    ) -> None:
        self._stepped(DENIED, on, first_response, first_adjudication)
        self.denial_reason = reason_code
        self.denials += 1

    class Appealed(Aggregate.Event):
        on: date
        reference: str
        meta: Meta

    @event(Appealed)
    def _appealed(self, on: date, reference: str, meta: Meta) -> None:
        self._stepped(APPEALED, on)
        self.appeals += 1

    class Paid(Adjudication):
        amount: Decimal

    @event(Paid)
    def _paid(
        self, on: date, amount: Decimal, first_response: bool, first_adjudication: bool, meta: Meta
    ) -> None:
        self._stepped(PAID, on, first_response, first_adjudication)
        self.paid_on = on
        self.paid_amount = amount

    class Refunded(Aggregate.Event):
        on: date
        amount: Decimal
        reason: str
        meta: Meta

    @event(Refunded)
    def _refunded(self, on: date, amount: Decimal, reason: str, meta: Meta) -> None:
        self.last_step_on = on
        self.refunded += amount
