"""Bodies of performance reporting: post-visit surveys, KPI targets, monthly reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path, Query
from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from contracts.v1 import performance
from contracts.v1.performance import SitePerformance
from mhg.bounded import MONTH_PATTERN, DecimalText
from mhg.views import View, showing
from services.mso_ops.api.schemas import Strict, example
from services.mso_ops.domain.kpi_catalogue import BY_NAME
from services.mso_ops.domain.kpi_target import KpiTarget
from services.mso_ops.domain.performance_report import PerformanceReport

MonthPath = Annotated[
    str,
    Path(
        pattern=MONTH_PATTERN, max_length=7, description="The month, YYYY-MM", examples=["2026-10"]
    ),
]
MonthQuery = Annotated[
    str | None, Query(pattern=MONTH_PATTERN, max_length=7, description="YYYY-MM")
]
# the contracts' KPI vocabulary, one named component in the API document
KpiName = TypeAliasType("KpiName", performance.KpiName)
KpiPath = Annotated[KpiName, Path(description="The KPI, as named in the report")]


class SurveyIn(Strict):
    """A post-visit survey: the score only (no free text, no patient data)."""

    appointment_id: UUID
    score: int = Field(ge=0, le=10, description="0-10; 9-10 promoter, 0-6 detractor")

    model_config = example({"appointment_id": "3f1c2a7e-0b1d-4c55-9a57-6a1e0f2b9d10", "score": 9})


class SurveyScored(BaseModel):
    """What a survey's answer and its list row both show: the visit it scores, and the score."""

    id: UUID
    appointment_id: UUID
    site_id: UUID
    service_line: str
    visit_on: date
    score: int


class SurveyOut(SurveyScored, View):
    version: int


class SurveyRow(SurveyScored):
    recorded_at: datetime


class KpiTargetIn(Strict):
    target: Annotated[Decimal, DecimalText(8, 4, signed=True)] = Field(
        gt=-(10**8),
        lt=10**8,
        max_digits=12,
        decimal_places=4,
        description="Rates and shares 0-1, NPS -100..100, days, hours and amounts >= 0",
        examples=["0.08"],
    )
    site_id: UUID | None = Field(
        default=None, description="The site this target is for; none: every site without its own"
    )


class KpiTargetOut(BaseModel):
    id: UUID
    kpi: str
    site_id: UUID | None
    target: Decimal
    direction: str
    version: int

    @classmethod
    def of(cls, target: KpiTarget) -> KpiTargetOut:
        return showing(cls, target, target=target.value, direction=BY_NAME[target.kpi].direction)


class KpiTargetRow(BaseModel):
    id: UUID
    kpi: str
    site_id: UUID | None
    target: Decimal
    updated_at: datetime


class PerformanceReportOut(BaseModel):
    """A month's KPIs per site: a closed month's revision, or the current month so far."""

    month: date = Field(description="The first day of the month")
    status: Literal["final", "provisional"]
    report_id: UUID | None = Field(description="The revision's id; none while provisional")
    revision: int | None
    revisions: int = Field(description="How many revisions the month has (0: not closed)")
    published_at: datetime | None
    sites: list[SitePerformance]
    version: int | None = Field(description="The month's version, for If-Match on a re-close")

    @classmethod
    def of(
        cls,
        report: PerformanceReport,
        number: int | None = None,
        site_id: UUID | None = None,
        service_line: str | None = None,
    ) -> PerformanceReportOut:
        revision = report.numbered(number)
        return cls(
            month=report.month,
            status="final",
            report_id=revision.report_id,
            revision=revision.revision,
            revisions=len(report.revisions),
            published_at=revision.published_at,
            sites=shown(revision.sites, site_id, service_line),
            version=report.version,
        )

    @classmethod
    def provisional(
        cls, month: date, sites: list[dict[str, Any]], service_line: str | None = None
    ) -> PerformanceReportOut:
        return cls(
            month=month,
            status="provisional",
            report_id=None,
            revision=None,
            revisions=0,
            published_at=None,
            sites=shown(sites, service_line=service_line),
            version=None,
        )


def shown(
    sites: list[dict[str, Any]], site_id: UUID | None = None, service_line: str | None = None
) -> list[SitePerformance]:
    """The sites (and KPI rows of a service line) asked for."""
    chosen = []
    for site in sites:
        if site_id is not None and site["site_id"] != str(site_id):
            continue
        kpis = [
            k for k in site["kpis"] if service_line is None or k["service_line"] == service_line
        ]
        chosen.append(SitePerformance.model_validate({**site, "kpis": kpis}))
    return chosen


class PerformanceReportRow(BaseModel):
    id: UUID
    month: date
    revision: int
    report_id: UUID
    site_count: int
    published_at: datetime
