"""The MSO's monthly performance reports, as they arrived through its contract feed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from mhg import problems
from mhg.bounded import Month
from mhg.declared import shown
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from services.pc_governance.api.dependencies import PcReader, PerformanceReports
from services.pc_governance.api.performance_reports.schemas import (
    PerformanceReportOut,
    PerformanceReportRow,
)
from services.pc_governance.projections import performance_reports as read_side

router = APIRouter(tags=["performance reports"])


REPORTS = Listing(read_side.REPORTS, PerformanceReportRow)


def _first_day(month: str) -> date:
    """The month's first day; year 0000 matches the pattern but is no date (404, not 500)."""
    try:
        return date.fromisoformat(f"{month}-01")
    except ValueError:
        raise problems.Problem(
            404, "performance-report-not-found", "No such report", f"no month {month}"
        ) from None


@paged(
    router,
    "/performance-reports",
    "listPerformanceReports",
    PcReader,
    description="In the order the months' first reports arrived; `from`/`to` bound the month.",
)
def list_performance_reports(
    pages: Pages,
    month_from: Annotated[
        Month | None, Query(alias="from", description="First month, e.g. 2026-01")
    ] = None,
    month_to: Annotated[
        Month | None, Query(alias="to", description="Last month, e.g. 2026-12")
    ] = None,
    with_unfavourable: Annotated[
        bool | None, Query(description="Only reports with (true) or without (false) variances")
    ] = None,
) -> Page[PerformanceReportRow]:
    """The MSO's monthly performance reports (newest revision of each month)"""
    if month_from and month_to and month_from > month_to:
        raise problems.Problem(
            422,
            "invalid-month-range",
            "The month range is empty",
            f"from {month_from} is after to {month_to}",
            field="from",
        )
    return pages(
        REPORTS, month_from=month_from, month_to=month_to, with_unfavourable=with_unfavourable
    )


@shown(router, "/performance-reports/{month}", "getPerformanceReport", PcReader)
def get_performance_report(
    month: Annotated[Month, Path(description="The reported month, e.g. 2026-10")],
    performance_reports: PerformanceReports,
) -> PerformanceReportOut:
    """A month's performance report: its KPIs per site, unfavourable variances, revisions"""
    return PerformanceReportOut.of(performance_reports.performance_report(_first_day(month)))
