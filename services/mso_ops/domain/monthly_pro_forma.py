"""A site's pro forma month by month: planned visits, revenue and costs, and its investment.

Seed 003 asks for "a pro forma which capitalizes the business ... at a cost recapture
level" that the physicians' board then monitors: the plan is set before (or after) the
site opens, revised as a new version when the MSO re-plans (earlier versions stay on the
record), and the MSO records each month's actual costs from its books, the one actual the
platform does not already know (visits and revenue come from the read models). Amounts
are whole cents.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.expansion_errors import InvalidMonthlyProForma, MonthNotPlanned

_NAMESPACE = uuid.UUID("0c9d52e4-6a3f-4d8e-b1a7-2f4e8c6d9b31")
MAX_MONTHS = 60  # five years of plan
MAX_CENTS = 100_000_000_000  # a billion dollars per figure: anything above is a typo
MAX_VISITS = 1_000_000
FIGURES = ("visits", "revenue_cents", "costs_cents")


def month_after(month: date, count: int = 1) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _figure(value: Any, name: str, at: int) -> int:
    highest = MAX_VISITS if name == "visits" else MAX_CENTS
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
        raise InvalidMonthlyProForma(f"months[{at}].{name} must be a whole number 0 to {highest}")
    return value


@dataclass(frozen=True)
class PlannedMonth:
    month: date
    visits: int
    revenue_cents: int
    costs_cents: int

    @property
    def margin_cents(self) -> int:
        return self.revenue_cents - self.costs_cents


@dataclass(frozen=True)
class Plan:
    number: int
    first_month: date
    months: tuple[PlannedMonth, ...]
    investment_cents: int
    basis: str
    set_by: str
    set_at: datetime

    def planned(self, month: date) -> PlannedMonth | None:
        return next((m for m in self.months if m.month == month), None)


@dataclass(frozen=True)
class RecordedCosts:
    month: date
    costs_cents: int
    document_ref: str
    recorded_by: str
    recorded_at: datetime


def checked(
    first_month: date, months: list[dict[str, Any]], investment_cents: int, basis: str
) -> dict[str, Any]:
    """The plan as its events keep it, refused (422) unless each figure is a bounded whole
    number."""
    if first_month.day != 1:
        raise InvalidMonthlyProForma("first_month is the first day of a month")
    if not 1 <= len(months) <= MAX_MONTHS:
        raise InvalidMonthlyProForma(f"a pro forma plans 1 to {MAX_MONTHS} months")
    for at, figures in enumerate(months):
        if sorted(figures) != sorted(FIGURES):
            raise InvalidMonthlyProForma(f"months[{at}] has exactly {', '.join(FIGURES)}")
        for name in FIGURES:
            _figure(figures[name], name, at)
    if isinstance(investment_cents, bool) or not 0 <= investment_cents <= MAX_CENTS:
        raise InvalidMonthlyProForma(f"investment_cents must be 0 to {MAX_CENTS}")
    return {
        "first_month": first_month.isoformat(),
        "months": [{name: figures[name] for name in FIGURES} for figures in months],
        "investment_cents": investment_cents,
        "basis": basis,
    }


class MonthlyProForma(Aggregate):
    """One per site (its id follows from the site's); each version a whole new plan, kept
    in its events as `checked` gives it."""

    @staticmethod
    def create_id(site_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(site_id))

    class Drafted(Aggregate.Created):
        site_id: UUID
        plan: dict[str, Any]
        at: datetime
        meta: Meta

    @event(Drafted)
    def __init__(self, site_id: UUID, plan: dict[str, Any], at: datetime, meta: Meta) -> None:
        self.site_id = site_id
        self.versions: list[Plan] = []
        self.costs: dict[date, RecordedCosts] = {}
        self._add(plan, at, meta)

    @classmethod
    def draft(
        cls, *, site_id: UUID, plan: dict[str, Any], at: datetime, meta: Meta
    ) -> MonthlyProForma:
        return cls(site_id=site_id, plan=checked(**plan), at=at, meta=meta)

    def _add(self, plan: dict[str, Any], at: datetime, meta: Meta) -> None:
        first_month = date.fromisoformat(plan["first_month"])
        planned = tuple(
            PlannedMonth(month_after(first_month, index), *(figures[name] for name in FIGURES))
            for index, figures in enumerate(plan["months"])
        )
        number = len(self.versions) + 1
        self.versions.append(
            Plan(
                number,
                first_month,
                planned,
                plan["investment_cents"],
                plan["basis"],
                meta.actor_id,
                at,
            )
        )

    @property
    def plan(self) -> Plan:
        """The version in force: the latest."""
        return self.versions[-1]

    class Revised(Aggregate.Event):
        plan: dict[str, Any]
        at: datetime
        meta: Meta

    def revise(self, *, plan: dict[str, Any], at: datetime, meta: Meta) -> None:
        self._revised(checked(**plan), at, meta)

    @event(Revised)
    def _revised(self, plan: dict[str, Any], at: datetime, meta: Meta) -> None:
        self._add(plan, at, meta)

    class CostsRecorded(Aggregate.Event):
        month: date
        costs_cents: int
        document_ref: str
        at: datetime
        meta: Meta

    def record_costs(
        self, *, month: date, costs_cents: int, document_ref: str, at: datetime, meta: Meta
    ) -> None:
        """A month's actual costs from the books; recording again corrects the figure."""
        if self.plan.planned(month) is None:
            raise MonthNotPlanned(f"{month:%Y-%m} is not a month of pro forma {self.plan.number}")
        if month > at.date():
            raise MonthNotPlanned(f"{month:%Y-%m} has not begun")
        if isinstance(costs_cents, bool) or not 0 <= costs_cents <= MAX_CENTS:
            raise InvalidMonthlyProForma(f"costs_cents must be 0 to {MAX_CENTS}")
        self._costs_recorded(month, costs_cents, document_ref, at, meta)

    @event(CostsRecorded)
    def _costs_recorded(
        self, month: date, costs_cents: int, document_ref: str, at: datetime, meta: Meta
    ) -> None:
        self.costs[month] = RecordedCosts(month, costs_cents, document_ref, meta.actor_id, at)
