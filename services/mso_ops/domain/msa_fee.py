"""The MSA management fee: its terms, and the month's fee computed from them.

Three kinds of schedule, and no other:
- `fixed_monthly`: `monthly_amount`, whatever was collected;
- `percentage_of_net_collections`: `percentage` of the month's net collections;
- `hybrid`: `base_amount` plus `percentage` of net collections, raised to `floor`
  and lowered to `cap` when either is set.

The fee never takes referrals, or the volume of patients or services referred, as an
input: `compute_monthly_fee` accepts the terms and the month's net collections and
nothing else, and a term whose name counts referrals, patients, visits or orders is
refused (`ReferralBasedFeeTerm`) before a schedule can hold it.

Money is `Decimal`, in dollars and cents. Amounts in the terms are whole cents (more
places are refused, never rounded). The one rounding is the percentage line: net
collections x percentage / 100, rounded half-up to the cent. Net collections below
zero (a month with more refunds than payments) count as zero, so a fee is never
negative. The fee is the exact sum of its lines; floor and cap appear as lines of
their own, so the computation reads line by line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services.mso_ops.domain.billing_errors import InvalidFeeSchedule, ReferralBasedFeeTerm

FIXED_MONTHLY = "fixed_monthly"
PERCENTAGE = "percentage_of_net_collections"
HYBRID = "hybrid"

TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required terms, optional terms)
    FIXED_MONTHLY: (("monthly_amount",), ()),
    PERCENTAGE: (("percentage",), ()),
    HYBRID: (("base_amount", "percentage"), ("floor", "cap")),
}
KINDS = tuple(TERMS)

# Words that make a term (or a kind) a count of referrals or of referred volume.
REFERRAL_MARKERS = (
    "refer",
    "volume",
    "per_patient",
    "patient_count",
    "per_visit",
    "visit_count",
    "per_encounter",
    "per_order",
    "per_test",
)

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000")  # a monthly fee term above $100M is a typo
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def is_referral_based(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in REFERRAL_MARKERS)


@dataclass(frozen=True)
class FeeTerms:
    kind: str
    monthly_amount: Decimal | None = None
    base_amount: Decimal | None = None
    percentage: Decimal | None = None
    floor: Decimal | None = None
    cap: Decimal | None = None

    @classmethod
    def parse(cls, kind: str, terms: Mapping[str, object]) -> FeeTerms:
        """The terms of a schedule of `kind`, or the rule they break."""
        referral = [n for n in (kind, *terms) if is_referral_based(str(n))]
        if referral:
            raise ReferralBasedFeeTerm(
                f"{', '.join(map(str, referral))}: a fee may be based only on a fixed amount "
                "or on net collections, never on referrals or referred volume",
                terms=[str(n) for n in referral],
            )
        if kind not in TERMS:
            raise InvalidFeeSchedule(f"kind must be one of {', '.join(KINDS)}", field="kind")
        required, optional = TERMS[kind]
        given = {name for name, value in terms.items() if value is not None}
        unknown = sorted(given - set(required) - set(optional))
        missing = [name for name in required if name not in given]
        if unknown or missing:
            raise InvalidFeeSchedule(
                f"a {kind} schedule takes {', '.join(required + optional)}; "
                f"missing: {', '.join(missing) or 'none'}; not allowed: {', '.join(unknown) or 'none'}",
                field="terms",
            )
        values = {name: _decimal(name, terms[name]) for name in sorted(given)}
        parsed = cls(kind=kind, **values)
        parsed._check()
        return parsed.in_cents()

    def in_cents(self) -> FeeTerms:
        """The same terms with every amount written to the cent (15000 -> 15000.00)."""
        cents = {
            name: getattr(self, name).quantize(CENT)
            for name in ("monthly_amount", "base_amount", "floor", "cap")
            if getattr(self, name) is not None
        }
        return replace(self, **cents)

    def _check(self) -> None:
        for name in ("monthly_amount", "base_amount", "floor", "cap"):
            amount = getattr(self, name)
            if amount is not None and not (ZERO <= amount <= MAX_AMOUNT and _cents(amount)):
                raise InvalidFeeSchedule(
                    f"{name} must be whole cents from 0 to {MAX_AMOUNT}", field=f"terms.{name}"
                )
        if self.percentage is not None and not (
            Decimal(0) < self.percentage <= 100
            and self.percentage == self.percentage.quantize(Decimal("0.0001"))
        ):
            raise InvalidFeeSchedule(
                "percentage must be above 0 and at most 100, to 4 decimal places",
                field="terms.percentage",
            )
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise InvalidFeeSchedule("the floor cannot be above the cap", field="terms.floor")

    def as_dict(self) -> dict[str, Decimal]:
        names = ("monthly_amount", "base_amount", "percentage", "floor", "cap")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


@dataclass(frozen=True)
class FeeLine:
    code: str
    description: str
    amount: Decimal

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description, "amount": self.amount}


@dataclass(frozen=True)
class FeeComputation:
    lines: tuple[FeeLine, ...]
    fee: Decimal


def percentage_of(net_collections: Decimal, percentage: Decimal) -> Decimal:
    base = max(net_collections, ZERO)
    return (base * percentage / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def compute_monthly_fee(schedule: FeeTerms, net_collections: Decimal) -> FeeComputation:
    """The month's fee: from the schedule in force and the month's net collections only."""
    lines: list[FeeLine] = []
    if schedule.kind == FIXED_MONTHLY:
        assert schedule.monthly_amount is not None
        lines.append(FeeLine("fixed_monthly_fee", "Fixed monthly fee", schedule.monthly_amount))
    else:
        assert schedule.percentage is not None
        if schedule.kind == HYBRID:
            assert schedule.base_amount is not None
            lines.append(FeeLine("base_fee", "Base fee", schedule.base_amount))
        share = percentage_of(net_collections, schedule.percentage)
        lines.append(
            FeeLine(
                "percentage_of_net_collections",
                f"{_plain(schedule.percentage)}% of net collections of {max(net_collections, ZERO):.2f}",
                share,
            )
        )
        subtotal = sum((line.amount for line in lines), ZERO)
        if schedule.floor is not None and subtotal < schedule.floor:
            lines.append(
                FeeLine(
                    "floor_adjustment",
                    f"Raised to the floor of {schedule.floor}",
                    schedule.floor - subtotal,
                )
            )
        elif schedule.cap is not None and subtotal > schedule.cap:
            lines.append(
                FeeLine(
                    "cap_adjustment",
                    f"Lowered to the cap of {schedule.cap}",
                    schedule.cap - subtotal,
                )
            )
    fee = sum((line.amount for line in lines), ZERO)
    return FeeComputation(lines=tuple(lines), fee=fee)


def _cents(amount: Decimal) -> bool:
    return amount == amount.quantize(CENT)


def _plain(percentage: Decimal) -> str:
    return format(percentage.normalize(), "f")


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise InvalidFeeSchedule(f"{name} must be a decimal number", field=f"terms.{name}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidFeeSchedule(
            f"{name} must be a decimal number", field=f"terms.{name}"
        ) from None
    if not number.is_finite():
        raise InvalidFeeSchedule(f"{name} must be a decimal number", field=f"terms.{name}")
    return number
