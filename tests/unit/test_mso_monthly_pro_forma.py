"""A site's monthly pro forma and its comparison with actual months, without a service."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from mhg.meta import Meta
from services.mso_ops.domain.expansion_errors import InvalidMonthlyProForma, MonthNotPlanned
from services.mso_ops.domain.monthly_pro_forma import MonthlyProForma, month_after
from services.mso_ops.domain.pro_forma_actuals import MonthActuals, compared

META = Meta("ann", "mso_admin", "mso", "req-1", "corr-1", "req-1")
AT = datetime(2026, 3, 10, tzinfo=UTC)


def plan(*margins: tuple[int, int], investment: int = 1000, **changes: Any) -> dict[str, Any]:
    months = [{"visits": 1, "revenue_cents": r, "costs_cents": c} for r, c in margins]
    return {
        "first_month": date(2026, 1, 1),
        "months": months,
        "investment_cents": investment,
        "basis": "BP-1",
        **changes,
    }


def drafted(*margins: tuple[int, int], investment: int = 1000) -> MonthlyProForma:
    figures = plan(*margins, investment=investment)
    return MonthlyProForma.draft(site_id=uuid4(), plan=figures, at=AT, meta=META)


def test_months_follow_each_other_across_a_year_end() -> None:
    assert month_after(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert month_after(date(2026, 1, 1), 0) == date(2026, 1, 1)


@pytest.mark.parametrize(
    "changes",
    [
        {"first_month": date(2026, 1, 2)},
        {"months": []},
        {"months": [{"visits": True, "revenue_cents": 0, "costs_cents": 0}]},
        {"months": [{"visits": 1, "revenue_cents": 0}]},
        {"investment_cents": -1},
    ],
)
def test_a_plan_out_of_bounds_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidMonthlyProForma):
        MonthlyProForma.draft(site_id=uuid4(), plan=plan((1, 0), **changes), at=AT, meta=META)


def test_a_plan_that_never_repays_says_so_and_actuals_stop_at_the_current_month() -> None:
    pro_forma = drafted((500, 600), (500, 550), (900, 100), investment=1000)
    actuals = {
        date(2026, 1, 1): MonthActuals(2, 700, 100),
        date(2026, 2, 1): MonthActuals(1, 0, None),
    }
    result = compared(pro_forma.plan, actuals, through=date(2026, 2, 1))
    assert [m["actual"] is None for m in result["months"]] == [False, False, True]
    assert result["payback"] == {
        "investment_cents": 1000,
        "planned_margin_to_date_cents": -150,
        "actual_margin_to_date_cents": 600,
        "months_with_actual_margin": 1,
        "remaining_cents": 400,
        "planned_payback_month": None,  # -100, -50, +800: 650 in all, short of 1000
        "paid_back_in": None,
    }


def test_costs_only_for_a_planned_month_that_has_begun() -> None:
    pro_forma = drafted((500, 100), (500, 100), (500, 100), (500, 100))
    pro_forma.record_costs(
        month=date(2026, 3, 1), costs_cents=5, document_ref="GL", at=AT, meta=META
    )
    assert pro_forma.costs[date(2026, 3, 1)].costs_cents == 5
    for month in (date(2025, 12, 1), date(2026, 4, 1)):
        with pytest.raises(MonthNotPlanned):
            pro_forma.record_costs(month=month, costs_cents=5, document_ref="GL", at=AT, meta=META)
