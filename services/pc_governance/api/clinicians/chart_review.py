"""The chart-review share per APP per month: the PC's chart counts, and what was reviewed."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from mhg.bounded import Count, Month
from mhg.pagination import Page
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.web import command_meta
from services.pc_governance.api.dependencies import PcReader, QualityDecider, capability
from services.pc_governance.api.schemas import Strict, with_example
from services.pc_governance.application.chart_review import ChartReviewCommands
from services.pc_governance.projections import chart_review as read_side

router = APIRouter(tags=["supervision"])


class ChartCountIn(Strict):
    model_config = with_example(charts=120)
    charts: Count = Field(description="Charts the APP signed in the month, from the PC's EHR")


class ChartCountOut(BaseModel):
    app_id: UUID
    month: str
    charts: int
    version: int


class ChartReviewRow(BaseModel):
    app_id: UUID
    app_name: str | None
    month: str
    charts: int = Field(description="The APP's charts in the month, as the PC counted them")
    share_percent: int | None = Field(description="The supervision rules' chart-review share")
    reviewed: int = Field(description="Charts of the APP's completed review samples that month")
    required: int | None = Field(description="The share of the charts, rounded up")
    shortfall: int | None = Field(description="Required charts not reviewed (0: none missing)")


ChartReview = Annotated[ChartReviewCommands, capability(lambda app: app.chart_review)]


@routed(
    router,
    "PUT /supervision/chart-counts/{app_id}/{month}",
    "countAppCharts",
    404,
    422,
    description="A recount replaces the month's count; the APP must be an NP or PA the PC knows",
)
def count_charts(
    app_id: UUID,
    month: Month,
    body: ChartCountIn,
    request: Request,
    caller: QualityDecider,
    chart_review: ChartReview,
) -> ChartCountOut:
    """Record how many charts an APP signed in a month (the share is taken of it)"""
    counted = chart_review.count_charts(
        app_id=app_id, month=month, charts=body.charts, meta=command_meta(request, caller)
    )
    return ChartCountOut(
        app_id=counted.app_id, month=counted.month, charts=counted.charts, version=counted.version
    )


@routed(router, "GET /supervision/chart-review", "listChartReviewShares", 422)
def list_chart_review(
    rt: Runtime,
    _caller: PcReader,
    month: Annotated[Month | None, Query(description="Only this month")] = None,
    app_id: Annotated[UUID | None, Query(description="Only this APP")] = None,
) -> Page[ChartReviewRow]:
    """Per APP per month: charts reviewed, required by the chart-review share, shortfall"""
    rows: list[dict[str, Any]] = read_side.chart_review_shares(rt.store, month, app_id)
    return Page[ChartReviewRow](items=[ChartReviewRow(**row) for row in rows], next_cursor=None)
