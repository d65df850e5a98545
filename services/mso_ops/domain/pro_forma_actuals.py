"""A site's pro forma against what happened: per month the plan, the actuals, the variance,
and the payback to date (cumulative actual margin against the start-up investment).

Actual visits and revenue come from the read models (visits fulfilled in the month,
charges billed for the month's services); actual costs are what the MSO recorded from its
books. A month whose costs are not recorded has no actual margin, so payback counts only
the months whose margin is known, and says how many those are. A variance is the actual
less the plan (for costs, above zero is unfavourable; for the rest, below zero is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.mso_ops.domain.monthly_pro_forma import Plan, PlannedMonth


@dataclass(frozen=True)
class MonthActuals:
    visits: int
    revenue_cents: int
    costs_cents: int | None  # none until the month's costs are recorded

    @property
    def margin_cents(self) -> int | None:
        return None if self.costs_cents is None else self.revenue_cents - self.costs_cents


def _planned(month: PlannedMonth) -> dict[str, int]:
    return {
        "visits": month.visits,
        "revenue_cents": month.revenue_cents,
        "costs_cents": month.costs_cents,
        "margin_cents": month.margin_cents,
    }


def _actual(actual: MonthActuals) -> dict[str, int | None]:
    return {
        "visits": actual.visits,
        "revenue_cents": actual.revenue_cents,
        "costs_cents": actual.costs_cents,
        "margin_cents": actual.margin_cents,
    }


def _variance(plan: dict[str, int], actual: dict[str, int | None]) -> dict[str, int | None]:
    return {name: None if (value := actual[name]) is None else value - plan[name] for name in plan}


def month_compared(planned: PlannedMonth, actual: MonthActuals | None) -> dict[str, Any]:
    """One month: the plan, and for a month begun its actuals and the variance."""
    figures = _planned(planned)
    if actual is None:
        return {"month": planned.month, "planned": figures, "actual": None, "variance": None}
    actuals = _actual(actual)
    return {
        "month": planned.month,
        "planned": figures,
        "actual": actuals,
        "variance": _variance(figures, actuals),
    }


def compared(plan: Plan, actuals: dict[date, MonthActuals], through: date) -> dict[str, Any]:
    """Each planned month; those up to `through` (the current month) with actuals."""
    months: list[dict[str, Any]] = []
    planned_total = actual_total = months_counted = 0
    actual_payback: date | None = None
    for month in plan.months:
        if month.month > through:
            months.append(month_compared(month, None))
            continue
        actual = actuals.get(month.month, MonthActuals(0, 0, None))
        months.append(month_compared(month, actual))
        planned_total += month.margin_cents
        if actual.margin_cents is not None:
            actual_total += actual.margin_cents
            months_counted += 1
            if actual_payback is None and actual_total >= plan.investment_cents:
                actual_payback = month.month
    return {
        "plan_version": plan.number,
        "through": through,
        "months": months,
        "payback": {
            "investment_cents": plan.investment_cents,
            "planned_margin_to_date_cents": planned_total,
            "actual_margin_to_date_cents": actual_total,
            "months_with_actual_margin": months_counted,
            "remaining_cents": max(plan.investment_cents - actual_total, 0),
            "planned_payback_month": _payback_month(plan),
            "paid_back_in": actual_payback,
        },
    }


def _payback_month(plan: Plan) -> date | None:
    """The planned month whose cumulative margin first repays the investment, if any."""
    total = 0
    for month in plan.months:
        total += month.margin_cents
        if total >= plan.investment_cents:
            return month.month
    return None
