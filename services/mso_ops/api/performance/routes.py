"""The monthly performance report: closed and published to the PC, and the month so far."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg.bounded import MAX_COUNT
from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing
from mhg.meta import Meta
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.web import IfMatch, expected_version
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, Performance
from services.mso_ops.api.performance.schemas import (
    MonthPath,
    MonthQuery,
    PerformanceReportOut,
    PerformanceReportRow,
)
from services.mso_ops.api.schemas import NO_BODY, ServiceLineCode
from services.mso_ops.application.clock import today_at
from services.mso_ops.application.performance import earliest_today
from services.mso_ops.domain.performance_report import month_of
from services.mso_ops.projections import performance as performance_rows
from services.mso_ops.projections.kpi_facts import month_of as month_containing
from services.mso_ops.projections.kpi_readings import read_month_report, read_site_zones

router = APIRouter(tags=["performance"])

REPORTS = Listing(performance_rows.REPORTS, PerformanceReportRow)

RevisionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_COUNT, description="An earlier revision; none: the latest")
]


@created(
    router,
    "/performance-reports/{month}/close",
    "closePerformanceMonth",
    PerformanceReportOut,
    (401, 403, 409, 412, 422),
    description=(
        "Brings the KPI read models up to date, computes the month's report and records it "
        "as revision 1; closing again after late data records the next revision (409 "
        "`report-unchanged` if nothing changed). Each revision is published as "
        "`performance-report.published` v1. A month closes only after its last day (409 "
        "`month-not-over`)."
    ),
)
def close_month(
    month: MonthPath,
    create: Create,
    rt: Runtime,
    performance: Performance,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close a month: record its KPIs per site and publish them to the PC"""
    the_month = month_of(month)

    def sites() -> list[dict[str, Any]]:
        rt.projections.catch_up()  # the report includes every event recorded before the close
        return read_month_report(rt.store, the_month)

    def make(report_id: UUID, meta: Meta) -> PerformanceReportOut:
        report = performance.close_month(
            month=the_month,
            report_id=report_id,
            sites=sites,
            expected_version=expected_version(if_match),
            meta=meta,
            zones=read_site_zones(rt.store).values(),
        )
        return PerformanceReportOut.of(report)

    def find(report_id: UUID) -> PerformanceReportOut | None:
        if not performance.month_closed(the_month):
            return None
        report = performance.performance_report(the_month)
        revision = report.revision_with(report_id)
        return None if revision is None else PerformanceReportOut.of(report, revision.revision)

    return create(
        caller,
        NO_BODY,
        make=make,
        find=find,
        answer=lambda out: out,
        location=f"/performance-reports/{month}?revision={{revision}}",
        # the key was scoped to the operation alone, before keys named the path's month
        operation="closePerformanceMonth",
        payload={"month": month},
    )


@listed(router, "/performance-reports", "listPerformanceReports", REPORTS, MsoReader)
def list_performance_reports(
    from_month: MonthQuery = None,
    to_month: MonthQuery = None,
    revised: Annotated[bool | None, Query(description="Only months closed more than once")] = None,
) -> None:
    """Closed months in the order first closed, with their latest revision"""


@shown(router, "/performance-reports/{month}", "getPerformanceReport", MsoReader)
def get_performance_report(
    month: MonthPath,
    performance: Performance,
    revision: RevisionQuery = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
) -> PerformanceReportOut:
    """A closed month's report: the latest revision, or the one asked for"""
    report = performance.performance_report(month_of(month))
    return PerformanceReportOut.of(report, revision, site_id, service_line)


@routed(router, "GET /dashboard", "getPerformanceDashboard", 422)
def dashboard(
    rt: Runtime,
    _caller: MsoReader,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
) -> PerformanceReportOut:
    """The current month so far, in the report's shape (provisional, not published)"""
    zones = read_site_zones(rt.store)  # the site's month; of all: the one not over at each
    today = earliest_today(zones.values()) if site_id is None else today_at(zones.get(site_id))
    month = month_containing(today)
    sites = read_month_report(rt.store, month, site_id)
    return PerformanceReportOut.provisional(month, sites, service_line)
