"""Response bodies of the MSO performance reports PC Governance keeps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from services.pc_governance.api.schemas import read_off
from services.pc_governance.domain.performance_report import PerformanceReport


class VarianceOut(BaseModel):
    """A KPI that missed its target the wrong way (variance = value - target)."""

    site_id: UUID
    site_name: str
    kpi: str
    service_line: str | None
    value: Decimal
    target: Decimal
    variance: Decimal
    direction: str


class KpiOut(BaseModel):
    kpi: str
    service_line: str | None
    value: Decimal | None
    target: Decimal | None
    variance: Decimal | None
    direction: str
    sample_size: int


class SiteOut(BaseModel):
    site_id: UUID
    site_name: str
    kpis: list[KpiOut]


class RevisionOut(BaseModel):
    revision: int
    report_id: UUID
    published_at: datetime


class PerformanceReportOut(BaseModel):
    id: UUID
    month: str
    report_id: UUID
    revision: int
    published_at: datetime
    sites: list[SiteOut]
    unfavourable: list[VarianceOut]
    revisions: list[RevisionOut]
    version: int

    @classmethod
    def of(cls, report: PerformanceReport) -> PerformanceReportOut:
        latest = report.latest
        return read_off(
            report,
            cls,
            month=f"{report.month:%Y-%m}",
            report_id=latest.report_id,
            revision=latest.revision,
            published_at=latest.published_at,
        )


class PerformanceReportRow(BaseModel):
    id: UUID
    month: str
    report_id: UUID
    revision: int
    published_at: datetime
    received_at: datetime
    site_count: int
    kpi_count: int
    unfavourable_count: int
    unfavourable: list[VarianceOut]
