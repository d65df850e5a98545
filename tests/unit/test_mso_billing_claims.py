"""The Claim aggregate: its dated lifecycle, refunds, and the KPI facts it decides once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    InvalidClaim,
    InvalidClaimDate,
    InvalidClaimTransition,
    RefundExceedsPayment,
)
from services.mso_ops.domain.claim import Claim

TODAY = date(2027, 3, 15)
SUBMITTED_ON = date(2027, 1, 10)
SITE = uuid.uuid4()


def meta() -> Meta:
    return Meta("bo", "mso_billing", "mso", uuid.uuid4().hex, "corr", "cause")


def submitted(billed: str = "200.00", number: str = "BSC-1") -> Claim:
    return Claim.submit(
        site_id=SITE,
        service_line="sports_clearance",
        payer="Blue Shield",
        claim_number=number,
        billed_amount=Decimal(billed),
        service_date=date(2027, 1, 8),
        submitted_on=SUBMITTED_ON,
        today=TODAY,
        meta=meta(),
    )


def test_a_claim_is_named_by_payer_and_number_and_holds_no_patient() -> None:
    claim = submitted()
    assert claim.id == Claim.create_id(" blue shield ", "BSC-1")
    assert claim.id != Claim.create_id("Blue Shield", "BSC-2")
    assert (claim.status, claim.clean, claim.initially_denied, claim.days_to_payment) == (
        "submitted",
        None,
        None,
        None,
    )
    [event] = claim.collect_events()
    assert set(vars(event)) - {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
    } == {
        "site_id",
        "service_line",
        "payer",
        "claim_number",
        "billed_amount",
        "service_date",
        "submitted_on",
        "meta",
    }


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"billed_amount": Decimal(0)}, InvalidClaim),
        ({"billed_amount": Decimal("10.005")}, InvalidClaim),
        ({"payer": " "}, InvalidClaim),
        ({"submitted_on": date(2027, 1, 7)}, InvalidClaimDate),
        ({"submitted_on": TODAY + timedelta(days=1)}, InvalidClaimDate),
    ],
)
def test_a_submission_is_checked(changes: dict[str, Any], error: type[DomainError]) -> None:
    arguments: dict[str, Any] = {
        "site_id": SITE,
        "service_line": "school_physical",
        "payer": "Aetna",
        "claim_number": "A-1",
        "billed_amount": Decimal("90.00"),
        "service_date": date(2027, 1, 8),
        "submitted_on": SUBMITTED_ON,
        "today": TODAY,
        "meta": meta(),
        **changes,
    }
    with pytest.raises(error):
        Claim.submit(**arguments)


def test_accepted_then_paid_is_clean_and_not_denied_with_its_days_to_payment() -> None:
    claim = submitted()
    claim.accept(on=date(2027, 1, 12), today=TODAY, meta=meta())
    claim.record_payment(on=date(2027, 2, 9), amount=Decimal("150.00"), today=TODAY, meta=meta())
    assert (claim.status, claim.clean, claim.initially_denied) == ("paid", True, False)
    assert claim.days_to_payment == 30
    claim.refund(
        on=date(2027, 2, 20),
        amount=Decimal("50.00"),
        reason="overpayment",
        today=TODAY,
        meta=meta(),
    )
    with pytest.raises(RefundExceedsPayment):
        claim.refund(
            on=date(2027, 2, 21),
            amount=Decimal("100.01"),
            reason="overpayment",
            today=TODAY,
            meta=meta(),
        )
    assert claim.refunded == Decimal("50.00")


def test_accepted_then_denied_is_clean_but_initially_denied() -> None:
    claim = submitted()
    claim.accept(on=date(2027, 1, 12), today=TODAY, meta=meta())
    claim.deny(on=date(2027, 1, 30), reason_code=" co-16 ", today=TODAY, meta=meta())
    assert (claim.clean, claim.initially_denied, claim.denial_reason) == (True, True, "CO-16")
    _, accepted, denied = claim.collect_events()
    assert accepted.first_response is True
    assert (denied.first_response, denied.first_adjudication) == (False, True)


def test_denied_appealed_and_paid_stays_initially_denied() -> None:
    claim = submitted()
    claim.deny(on=date(2027, 1, 20), reason_code="CO-197", today=TODAY, meta=meta())
    claim.appeal(on=date(2027, 1, 25), reference="APL-1", today=TODAY, meta=meta())
    claim.record_payment(on=date(2027, 2, 25), amount=Decimal("200.00"), today=TODAY, meta=meta())
    assert (claim.clean, claim.initially_denied, claim.denials, claim.appeals) == (
        False,
        True,
        1,
        1,
    )


def test_a_payment_never_exceeds_the_bill_and_steps_run_in_date_order() -> None:
    claim = submitted()
    with pytest.raises(InvalidClaim):
        claim.record_payment(on=TODAY, amount=Decimal("200.01"), today=TODAY, meta=meta())
    with pytest.raises(InvalidClaimDate):
        claim.accept(on=SUBMITTED_ON - timedelta(days=1), today=TODAY, meta=meta())
    with pytest.raises(InvalidClaimDate):
        claim.accept(on=TODAY + timedelta(days=1), today=TODAY, meta=meta())
    with pytest.raises(InvalidClaimTransition) as refused:
        claim.appeal(on=TODAY, reference="X", today=TODAY, meta=meta())
    assert refused.value.extensions == {"current_status": "submitted"}
    assert claim.version == 1


# -- a state machine that makes random dated moves, allowed or not -------------------

MOVES = {
    "accept": {"submitted", "appealed"},
    "deny": {"submitted", "accepted", "appealed"},
    "appeal": {"denied"},
    "pay": {"submitted", "accepted", "appealed"},
    "refund": {"paid"},
}
AFTER = {"accept": "accepted", "deny": "denied", "appeal": "appealed", "pay": "paid"}


class ClaimLifecycle(RuleBasedStateMachine):
    @initialize()
    def submit(self) -> None:
        self.claim = submitted(billed="500.00")
        self.events: list[Any] = list(self.claim.collect_events())
        self.status = "submitted"
        self.last = SUBMITTED_ON
        self.outcomes: list[str] = []
        self.paid = Decimal(0)
        self.refunded = Decimal(0)

    def attempt(self, move: str, on: date, act: Callable[[], None], own: Any = None) -> None:
        """Refusals in the aggregate's order: status, then date, then the move's own rule."""
        refusal = own
        if not self.last <= on <= TODAY:
            refusal = InvalidClaimDate
        if self.status not in MOVES[move]:
            refusal = InvalidClaimTransition
        version = self.claim.version
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"{move} refused with {refused!r}; the model allows it"
            assert isinstance(refused, refusal), (move, refused, refusal)
            assert self.claim.version == version
            assert list(self.claim.collect_events()) == []
            return
        assert refusal is None, f"{move} accepted; the model refuses with {refusal}"
        self.events.extend(self.claim.collect_events())
        self.last = on
        self.status = AFTER.get(move, self.status)
        if move in AFTER and move != "appeal":
            self.outcomes.append(AFTER[move])

    @rule(days=st.integers(-3, 15), move=st.sampled_from(["accept", "deny", "appeal"]))
    def step(self, days: int, move: str) -> None:
        on = self.last + timedelta(days=days)
        acts = {
            "accept": lambda: self.claim.accept(on=on, today=TODAY, meta=meta()),
            "deny": lambda: self.claim.deny(on=on, reason_code="CO-16", today=TODAY, meta=meta()),
            "appeal": lambda: self.claim.appeal(on=on, reference="A", today=TODAY, meta=meta()),
        }
        self.attempt(move, on, acts[move])

    @rule(days=st.integers(-3, 15), cents=st.integers(1, 60000))
    def pay(self, days: int, cents: int) -> None:
        on, amount = self.last + timedelta(days=days), Decimal(cents) / 100
        refusal = InvalidClaim if amount > Decimal("500.00") else None
        self.attempt(
            "pay",
            on,
            lambda: self.claim.record_payment(on=on, amount=amount, today=TODAY, meta=meta()),
            refusal,
        )
        if self.claim.status == "paid" and not self.paid:
            self.paid = amount

    @rule(days=st.integers(-3, 10), cents=st.integers(1, 30000))
    def refund(self, days: int, cents: int) -> None:
        on, amount = self.last + timedelta(days=days), Decimal(cents) / 100
        refusal = RefundExceedsPayment if self.refunded + amount > self.paid else None
        self.attempt(
            "refund",
            on,
            lambda: self.claim.refund(
                on=on, amount=amount, reason="overpayment", today=TODAY, meta=meta()
            ),
            refusal,
        )
        self.refunded = self.claim.refunded

    @invariant()
    def the_kpi_facts_follow_the_first_outcomes(self) -> None:
        responses = self.outcomes
        adjudications = [o for o in responses if o in ("denied", "paid")]
        assert self.claim.status == self.status
        assert self.claim.clean == (None if not responses else responses[0] != "denied")
        assert self.claim.initially_denied == (
            None if not adjudications else adjudications[0] == "denied"
        )
        assert Decimal(0) <= self.claim.refunded <= (self.claim.paid_amount or Decimal(0))

    @invariant()
    def rebuilding_from_the_events_gives_the_same_claim(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Claim)
        assert vars(rebuilt) == vars(self.claim)


ClaimLifecycle.TestCase.settings = settings(max_examples=150, stateful_step_count=25, deadline=None)
TestClaimLifecycle = ClaimLifecycle.TestCase
