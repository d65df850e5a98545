"""Bodies of a site's monthly pro forma and of its comparison with the actual months."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import Line, Month
from mhg.views import showing
from services.mso_ops.api.schemas import Strict, example
from services.mso_ops.domain.monthly_pro_forma import (
    MAX_CENTS,
    MAX_MONTHS,
    MAX_VISITS,
    MonthlyProForma,
    Plan,
)

Cents = Annotated[int, Field(ge=0, le=MAX_CENTS, description="Whole cents", examples=[1020000])]
Reference = Annotated[str, Line(200, min_length=1)]


class PlannedMonthIn(Strict):
    visits: int = Field(ge=0, le=MAX_VISITS, examples=[160])
    revenue_cents: Cents
    costs_cents: Cents

    model_config = example({"visits": 160, "revenue_cents": 1360000, "costs_cents": 900000})


class MonthlyProFormaIn(Strict):
    """The months planned from `first_month` on, one entry a month, and the investment."""

    first_month: Month
    months: list[PlannedMonthIn] = Field(min_length=1, max_length=MAX_MONTHS)
    investment_cents: Cents = Field(description="The start-up investment the margin repays")
    basis: Reference = Field(description="What the plan rests on (the model, the board paper)")

    model_config = example(
        {
            "first_month": "2026-09",
            "months": [
                {"visits": 80, "revenue_cents": 680000, "costs_cents": 620000},
                {"visits": 160, "revenue_cents": 1360000, "costs_cents": 900000},
            ],
            "investment_cents": 1800000,
            "basis": "Board paper BP-2026-07, pro forma v2",
        }
    )


class MonthCostsIn(Strict):
    costs_cents: Cents
    document_ref: Reference = Field(description="Where the figure comes from (the ledger close)")

    model_config = example({"costs_cents": 905000, "document_ref": "GL-CLOSE-2026-09"})


class PlannedMonthOut(BaseModel):
    month: date
    visits: int
    revenue_cents: int
    costs_cents: int
    margin_cents: int


class PlanOut(BaseModel):
    number: int = Field(description="The version of the plan; earlier ones stay on the record")
    first_month: date
    months: list[PlannedMonthOut]
    investment_cents: int
    basis: str
    set_by: str
    set_at: datetime

    @classmethod
    def of(cls, plan: Plan) -> PlanOut:
        return showing(
            cls,
            plan,
            months=[showing(PlannedMonthOut, m) for m in plan.months],
        )


class RecordedCostsOut(BaseModel):
    month: date
    costs_cents: int
    document_ref: str
    recorded_by: str
    recorded_at: datetime


class MonthlyProFormaOut(BaseModel):
    id: UUID
    site_id: UUID
    plan: PlanOut = Field(description="The version in force (the latest)")
    versions: list[PlanOut] = Field(description="Every version, first to latest")
    recorded_costs: list[RecordedCostsOut] = Field(description="Actual costs, by month")
    version: int

    @classmethod
    def of(cls, pro_forma: MonthlyProForma) -> MonthlyProFormaOut:
        return cls(
            id=pro_forma.id,
            site_id=pro_forma.site_id,
            plan=PlanOut.of(pro_forma.plan),
            versions=[PlanOut.of(plan) for plan in pro_forma.versions],
            recorded_costs=[
                RecordedCostsOut.model_validate(costs, from_attributes=True)
                for _month, costs in sorted(pro_forma.costs.items())
            ],
            version=pro_forma.version,
        )


class MonthFigures(BaseModel):
    visits: int
    revenue_cents: int
    costs_cents: int | None = Field(description="Actual: null until the month's costs are recorded")
    margin_cents: int | None


class MonthComparisonOut(BaseModel):
    month: date
    planned: MonthFigures
    actual: MonthFigures | None = Field(description="Null for a month not yet begun")
    variance: MonthFigures | None = Field(description="Actual less planned, figure by figure")


class PaybackOut(BaseModel):
    investment_cents: int
    planned_margin_to_date_cents: int
    actual_margin_to_date_cents: int = Field(
        description="Sum of the actual margins known (months whose costs are recorded)"
    )
    months_with_actual_margin: int
    remaining_cents: int = Field(description="Investment not yet repaid by the actual margin")
    planned_payback_month: date | None = Field(description="Null when the plan never repays it")
    paid_back_in: date | None = Field(description="The month the actual margin repaid it")


class ProFormaActualsOut(BaseModel):
    site_id: UUID
    plan_version: int = Field(description="The plan version compared")
    through: date = Field(description="The current month: later months have no actuals")
    months: list[MonthComparisonOut]
    payback: PaybackOut


class SiteMonthComparisonOut(MonthComparisonOut):
    site_id: UUID
    plan_version: int


class MonthProFormaOut(BaseModel):
    """The month beside its performance report: each site's plan, actuals and variance."""

    month: date
    sites: list[SiteMonthComparisonOut] = Field(
        description="Every site whose pro forma in force plans the month, by site id"
    )
