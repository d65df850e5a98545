"""The pro forma: monthly margin and payback months, in Decimal, checked as properties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.v1.service_lines import SERVICE_LINES
from services.mso_ops.domain.pro_forma import ProForma, payback_months
from services.mso_ops.domain.site_errors import InvalidProForma

money = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
visits = st.integers(min_value=0, max_value=5000)


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Any]:
    codes = draw(st.lists(st.sampled_from(SERVICE_LINES), min_size=1, max_size=5, unique=True))
    return {
        "lines": [
            {
                "service_line": code,
                "monthly_visits": draw(visits),
                "revenue_per_visit": draw(money),
                "variable_cost_per_visit": draw(money),
            }
            for code in codes
        ],
        "fixed_monthly_cost": draw(money),
        "startup_cost": draw(st.decimals(min_value=0, max_value=Decimal("2000000"), places=2)),
    }


def test_a_worked_example() -> None:
    pro_forma = ProForma.of(
        lines=[
            {
                "service_line": "sports_clearance",
                "monthly_visits": 120,
                "revenue_per_visit": "85.00",
                "variable_cost_per_visit": "22.50",
            }
        ],
        fixed_monthly_cost="4200",
        startup_cost="18000",
    )
    assert pro_forma.monthly_revenue == Decimal("10200.00")
    assert pro_forma.monthly_variable_cost == Decimal("2700.00")
    assert pro_forma.monthly_margin == Decimal("3300.00")
    assert pro_forma.payback_months == 6  # 5 months repay 16,500: the 6th repays the rest


@given(figures())
def test_the_margin_is_revenue_less_variable_and_fixed_costs(data: dict[str, Any]) -> None:
    pro_forma = ProForma.of(**data)
    expected = (
        sum(
            (
                line["monthly_visits"]
                * (line["revenue_per_visit"] - line["variable_cost_per_visit"])
                for line in data["lines"]
            ),
            Decimal(0),
        )
        - data["fixed_monthly_cost"]
    )
    assert pro_forma.monthly_margin == expected
    assert pro_forma.monthly_margin.as_tuple().exponent == -2, "kept in cents, never a float"
    assert pro_forma.monthly_revenue >= 0
    assert pro_forma.monthly_variable_cost >= 0


@given(figures())
def test_payback_is_the_first_month_the_margin_has_repaid_the_start_up(
    data: dict[str, Any],
) -> None:
    pro_forma = ProForma.of(**data)
    margin, startup, months = (
        pro_forma.monthly_margin,
        pro_forma.startup_cost,
        pro_forma.payback_months,
    )
    if startup == 0:
        assert months == 0
    elif margin <= 0:
        assert months is None, "a site that loses money never pays back"
    else:
        assert months is not None
        assert months >= 1
        assert months * margin >= startup
        assert (months - 1) * margin < startup


@given(figures(), money)
def test_more_fixed_cost_lowers_the_margin_by_as_much_and_never_shortens_payback(
    data: dict[str, Any], extra: Decimal
) -> None:
    before = ProForma.of(**data)
    after = ProForma.of(**{**data, "fixed_monthly_cost": data["fixed_monthly_cost"] + extra})
    assert after.monthly_margin == before.monthly_margin - extra
    if before.payback_months is None:
        assert after.payback_months is None
    elif after.payback_months is not None:
        assert after.payback_months >= before.payback_months


@given(figures())
def test_the_figures_survive_their_stored_form(data: dict[str, Any]) -> None:
    pro_forma = ProForma.of(**data)
    assert ProForma.from_dict(pro_forma.as_dict()) == pro_forma
    summary = pro_forma.summary()
    assert Decimal(summary["monthly_margin"]) == pro_forma.monthly_margin
    assert summary["payback_months"] == pro_forma.payback_months


@pytest.mark.parametrize(
    ("startup", "margin", "months"),
    [
        ("0", "-5", 0),
        ("100", "0", None),
        ("100", "-1", None),
        ("100", "100", 1),
        ("100", "99.99", 2),
    ],
)
def test_payback_edges(startup: str, margin: str, months: int | None) -> None:
    assert payback_months(Decimal(startup), Decimal(margin)) == months


LINE = {
    "service_line": "sports_clearance",
    "monthly_visits": 1,
    "revenue_per_visit": "1",
    "variable_cost_per_visit": "1",
}


@pytest.mark.parametrize(
    "change",
    [
        {"lines": []},
        {"lines": [LINE, LINE]},
        {"lines": [{**LINE, "service_line": "surgery"}]},
        {"lines": [{**LINE, "monthly_visits": -1}]},
        {"lines": [{**LINE, "revenue_per_visit": "1.005"}]},
        {"lines": [{**LINE, "variable_cost_per_visit": "-0.01"}]},
        {"fixed_monthly_cost": "NaN"},
        {"startup_cost": "1000000000"},
    ],
)
def test_invalid_figures_are_refused(change: dict[str, Any]) -> None:
    data: dict[str, Any] = {"lines": [LINE], "fixed_monthly_cost": "0", "startup_cost": "0"}
    with pytest.raises(InvalidProForma):
        ProForma.of(**{**data, **change})
