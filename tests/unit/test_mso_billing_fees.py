"""The MSA fee: its terms, the month's computation, and the versioned fee schedule."""

from __future__ import annotations

import inspect
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    FeeScheduleVersionOutOfOrder,
    InvalidFeeSchedule,
    NoFeeScheduleInForce,
    ReferralBasedFeeTerm,
)
from services.mso_ops.domain.fee_schedule import FeeSchedule, FmvBasis
from services.mso_ops.domain.msa_fee import (
    FIXED_MONTHLY,
    HYBRID,
    PERCENTAGE,
    FeeTerms,
    compute_monthly_fee,
)

TODAY = date(2027, 1, 15)
FMV = FmvBasis("Valuation Partners LLC", date(2026, 11, 2), "FMV-2026-11")
CENT = Decimal("0.01")


def meta() -> Meta:
    return Meta("bo", "mso_billing", "mso", uuid.uuid4().hex, "corr", "cause")


def money(low: str = "0", high: str = "1000000") -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=2, allow_nan=False)


collections = st.decimals(Decimal("-50000"), Decimal("5000000"), places=2, allow_nan=False)
percentages = st.decimals(Decimal("0.0001"), Decimal("100"), places=4, allow_nan=False)


@st.composite
def hybrid_terms(draw: st.DrawFn) -> FeeTerms:
    floor = draw(st.none() | money())
    cap = draw(st.none() | money())
    if floor is not None and cap is not None and floor > cap:
        floor, cap = cap, floor
    return FeeTerms.parse(
        HYBRID,
        {"base_amount": draw(money()), "percentage": draw(percentages), "floor": floor, "cap": cap},
    )


any_terms = st.one_of(
    money().map(lambda a: FeeTerms.parse(FIXED_MONTHLY, {"monthly_amount": a})),
    percentages.map(lambda p: FeeTerms.parse(PERCENTAGE, {"percentage": p})),
    hybrid_terms(),
)


def test_the_computation_takes_the_schedule_and_net_collections_and_nothing_else() -> None:
    parameters = inspect.signature(compute_monthly_fee).parameters
    assert list(parameters) == ["schedule", "net_collections"]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters.values())
    with pytest.raises(TypeError):
        compute_monthly_fee(  # type: ignore[call-arg]
            FeeTerms.parse(FIXED_MONTHLY, {"monthly_amount": Decimal(1)}),
            Decimal(1),
            referrals=10,
        )


@pytest.mark.parametrize(
    ("kind", "terms"),
    [
        ("per_referral", {"amount": Decimal(50)}),
        ("referral_volume", {}),
        (HYBRID, {"base_amount": Decimal(1), "percentage": Decimal(1), "per_referral": 5}),
        (FIXED_MONTHLY, {"monthly_amount": Decimal(1), "referral_bonus": None}),
        (PERCENTAGE, {"percentage": Decimal(3), "bonus_per_referred_patient": Decimal(10)}),
        (PERCENTAGE, {"percentage": Decimal(3), "patient_volume_tier": Decimal(10)}),
        (FIXED_MONTHLY, {"monthly_amount": Decimal(1), "per_visit_amount": Decimal(10)}),
    ],
)
def test_a_term_or_kind_based_on_referrals_or_volume_is_refused(
    kind: str, terms: dict[str, Any]
) -> None:
    with pytest.raises(ReferralBasedFeeTerm) as refused:
        FeeTerms.parse(kind, terms)
    assert refused.value.code == "referral-based-fee-term"


@pytest.mark.parametrize(
    ("kind", "terms", "field"),
    [
        ("per_hour", {"amount": Decimal(1)}, "kind"),
        (FIXED_MONTHLY, {}, "terms"),
        (FIXED_MONTHLY, {"monthly_amount": Decimal(1), "percentage": Decimal(1)}, "terms"),
        (HYBRID, {"base_amount": Decimal(1)}, "terms"),
        (FIXED_MONTHLY, {"monthly_amount": Decimal("1.001")}, "terms.monthly_amount"),
        (FIXED_MONTHLY, {"monthly_amount": Decimal(-1)}, "terms.monthly_amount"),
        (FIXED_MONTHLY, {"monthly_amount": "a lot"}, "terms.monthly_amount"),
        (PERCENTAGE, {"percentage": Decimal(0)}, "terms.percentage"),
        (PERCENTAGE, {"percentage": Decimal("100.01")}, "terms.percentage"),
        (PERCENTAGE, {"percentage": Decimal("1.00001")}, "terms.percentage"),
        (
            HYBRID,
            {"base_amount": Decimal(1), "percentage": Decimal(1), "floor": 9, "cap": 8},
            "terms.floor",
        ),
    ],
)
def test_malformed_terms_are_refused_naming_the_field(
    kind: str, terms: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidFeeSchedule) as refused:
        FeeTerms.parse(kind, terms)
    assert refused.value.extensions["field"] == field


def test_a_hybrid_month_reads_line_by_line() -> None:
    terms = FeeTerms.parse(
        HYBRID,
        {
            "base_amount": Decimal("10000.00"),
            "percentage": Decimal("4.5"),
            "floor": Decimal("12000.00"),
            "cap": Decimal("30000.00"),
        },
    )
    floor = compute_monthly_fee(terms, Decimal("12000.00"))
    assert [(line.code, line.amount) for line in floor.lines] == [
        ("base_fee", Decimal("10000.00")),
        ("percentage_of_net_collections", Decimal("540.00")),
        ("floor_adjustment", Decimal("1460.00")),
    ]
    assert floor.lines[1].description == "4.5% of net collections of 12000.00"
    assert floor.fee == Decimal("12000.00")
    capped = compute_monthly_fee(terms, Decimal("1000000.00"))
    assert [line.code for line in capped.lines][-1] == "cap_adjustment"
    assert capped.fee == Decimal("30000.00")
    between = compute_monthly_fee(terms, Decimal("100000.00"))
    assert between.fee == Decimal("14500.00")
    assert len(between.lines) == 2


def test_the_percentage_line_is_rounded_half_up_to_the_cent_and_never_negative() -> None:
    terms = FeeTerms.parse(PERCENTAGE, {"percentage": Decimal("5")})
    assert compute_monthly_fee(terms, Decimal("0.10")).fee == Decimal("0.01")  # 0.005 -> 0.01
    assert compute_monthly_fee(terms, Decimal("0.09")).fee == Decimal("0.00")  # 0.0045 -> 0.00
    assert compute_monthly_fee(terms, Decimal("-500.00")).fee == Decimal("0.00")


@given(terms=hybrid_terms(), net=collections)
def test_hybrid_is_base_plus_percentage_clamped_within_floor_and_cap(
    terms: FeeTerms, net: Decimal
) -> None:
    assert terms.base_amount is not None
    assert terms.percentage is not None
    share = (max(net, Decimal(0)) * terms.percentage / 100).quantize(CENT, "ROUND_HALF_UP")
    expected = terms.base_amount + share
    if terms.floor is not None:
        expected = max(expected, terms.floor)
    if terms.cap is not None:
        expected = min(expected, terms.cap)
    assert compute_monthly_fee(terms, net).fee == expected


@settings(max_examples=300)
@given(terms=any_terms, a=collections, b=collections)
def test_the_fee_never_falls_as_collections_rise(terms: FeeTerms, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert compute_monthly_fee(terms, low).fee <= compute_monthly_fee(terms, high).fee


@given(amount=money(), a=collections, b=collections)
def test_a_fixed_fee_is_the_same_whatever_was_collected(
    amount: Decimal, a: Decimal, b: Decimal
) -> None:
    terms = FeeTerms.parse(FIXED_MONTHLY, {"monthly_amount": amount})
    assert compute_monthly_fee(terms, a) == compute_monthly_fee(terms, b)
    assert compute_monthly_fee(terms, a).fee == amount


@given(terms=any_terms, net=collections)
def test_the_lines_sum_to_the_fee_in_whole_cents_never_below_zero(
    terms: FeeTerms, net: Decimal
) -> None:
    computation = compute_monthly_fee(terms, net)
    assert sum(line.amount for line in computation.lines) == computation.fee
    assert computation.fee >= 0
    assert computation.fee == computation.fee.quantize(CENT)


def add(schedule: FeeSchedule, effective_from: date, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "effective_from": effective_from,
        "kind": FIXED_MONTHLY,
        "terms": {"monthly_amount": Decimal("15000.00")},
        "fmv": FMV,
        "invoiced_through": None,
        "today": TODAY,
        "meta": meta(),
        **overrides,
    }
    return schedule.add_version(**arguments)


def test_versions_take_effect_in_order_and_each_month_has_the_one_in_force() -> None:
    schedule = FeeSchedule.open(meta())
    add(schedule, date(2027, 1, 1))
    add(
        schedule,
        date(2027, 4, 1),
        kind=HYBRID,
        terms={"base_amount": Decimal(5000), "percentage": Decimal(3)},
    )
    assert [v.number for v in schedule.versions] == [1, 2]
    assert schedule.in_force(date(2027, 3, 31)).number == 1
    assert schedule.in_force(date(2027, 4, 1)).kind == HYBRID
    assert schedule.in_force(date(2030, 1, 1)).number == 2
    with pytest.raises(NoFeeScheduleInForce):
        schedule.in_force(date(2026, 12, 31))
    assert schedule.versions[0].fmv == FMV
    assert schedule.versions[0].recorded_by == "bo"
    events = list(schedule.collect_events())
    assert [type(e).__name__ for e in events] == ["Opened", "VersionAdded", "VersionAdded"]
    rebuilt: Any = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert rebuilt.versions == schedule.versions


def test_a_version_never_reaches_back_before_another_or_an_invoiced_month() -> None:
    schedule = FeeSchedule.open(meta())
    add(schedule, date(2027, 1, 1))
    with pytest.raises(FeeScheduleVersionOutOfOrder):
        add(schedule, date(2027, 1, 1))
    with pytest.raises(FeeScheduleVersionOutOfOrder) as refused:
        add(schedule, date(2027, 3, 1), invoiced_through=date(2027, 3, 1))
    assert refused.value.extensions["invoiced_through"] == "2027-03"
    assert len(schedule.versions) == 1


@pytest.mark.parametrize(
    ("effective_from", "fmv", "field"),
    [
        (date(2027, 2, 2), FMV, "effective_from"),
        (date(2027, 2, 1), FmvBasis(" ", date(2026, 1, 1), "X"), "fmv_basis"),
        (date(2027, 2, 1), FmvBasis("V", date(2027, 1, 16), "X"), "fmv_basis.assessed_on"),
        (date(2026, 12, 1), FmvBasis("V", date(2026, 12, 2), "X"), "fmv_basis.assessed_on"),
    ],
)
def test_a_version_starts_a_month_and_rests_on_an_assessment_made_before(
    effective_from: date, fmv: FmvBasis, field: str
) -> None:
    schedule = FeeSchedule.open(meta())
    with pytest.raises(InvalidFeeSchedule) as refused:
        add(schedule, effective_from, fmv=fmv)
    assert refused.value.extensions["field"] == field
    assert schedule.versions == []
