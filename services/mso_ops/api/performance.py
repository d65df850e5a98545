"""The monthly performance report: closed and published to the PC, and the month so far."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import MAX_COUNT
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, Performance
from services.mso_ops.api.performance_schemas import (
    MonthPath,
    MonthQuery,
    PerformanceReportOut,
    PerformanceReportRow,
)
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.performance_report import month_of
from services.mso_ops.projections.kpi_facts import month_of as month_containing
from services.mso_ops.projections.kpi_readings import month_report

router = APIRouter(tags=["performance"])

RevisionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_COUNT, description="An earlier revision; none: the latest")
]


@router.post(
    "/performance-reports/{month}/close",
    operation_id="closePerformanceMonth",
    summary="Close a month: record its KPIs per site and publish them to the PC",
    description=(
        "Brings the KPI read models up to date, computes the month's report and records it "
        "as revision 1; closing again after late data records the next revision (409 "
        "`report-unchanged` if nothing changed). Each revision is published as "
        "`performance-report.published` v1. A month closes only after its last day (409 "
        "`month-not-over`)."
    ),
    status_code=201,
    response_model=PerformanceReportOut,
    responses=problems.responses(401, 403, 409, 412, 422),
)
def close_month(
    month: MonthPath,
    request: Request,
    rt: Runtime,
    performance: Performance,
    caller: MsoAdmin,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    the_month = month_of(month)
    meta = command_meta(request, caller)

    def sites() -> list[dict[str, Any]]:
        rt.projections.catch_up()  # the report includes every event recorded before the close
        with rt.store.reader.connect() as conn:
            return month_report(conn, rt.store.metadata, the_month)

    def create(report_id: UUID) -> dict[str, Any]:
        report = performance.close_month(
            month=the_month,
            report_id=report_id,
            sites=sites,
            expected_version=expected_version(if_match),
            meta=meta,
        )
        return PerformanceReportOut.of(report).model_dump(mode="json")

    def existing(report_id: UUID) -> dict[str, Any] | None:
        if not performance.month_closed(the_month):
            return None
        report = performance.performance_report(the_month)
        revision = report.revision_with(report_id)
        if revision is None:
            return None
        return PerformanceReportOut.of(report, revision.revision).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "closePerformanceMonth",
        {"month": month},
        create=create,
        existing=existing,
        location=lambda b: f"/performance-reports/{month}?revision={b['revision']}",
    )


@router.get(
    "/performance-reports",
    operation_id="listPerformanceReports",
    summary="Closed months in the order first closed, with their latest revision",
    response_model=Page[PerformanceReportRow],
    responses=problems.responses(401, 403, 422),
)
def list_performance_reports(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    from_month: MonthQuery = None,
    to_month: MonthQuery = None,
    revised: Annotated[bool | None, Query(description="Only months closed more than once")] = None,
) -> Page[PerformanceReportRow]:
    table = rt.store.metadata.tables["mso_performance_reports"]
    filters: list[ColumnElement[bool]] = []
    if from_month:
        filters.append(table.c.month >= month_of(from_month))
    if to_month:
        filters.append(table.c.month <= month_of(to_month))
    if revised is not None:
        filters.append(table.c.revision > 1 if revised else table.c.revision == 1)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[PerformanceReportRow](
        items=[PerformanceReportRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/performance-reports/{month}",
    operation_id="getPerformanceReport",
    summary="A closed month's report: the latest revision, or the one asked for",
    response_model=PerformanceReportOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_performance_report(
    month: MonthPath,
    response: Response,
    performance: Performance,
    _caller: MsoReader,
    revision: RevisionQuery = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
) -> PerformanceReportOut:
    report = performance.performance_report(month_of(month))
    set_etag(response, report.version)
    return PerformanceReportOut.of(report, revision, site_id, service_line)


@router.get(
    "/dashboard",
    operation_id="getPerformanceDashboard",
    summary="The current month so far, in the report's shape (provisional, not published)",
    response_model=PerformanceReportOut,
    responses=problems.responses(401, 403, 422),
)
def dashboard(
    rt: Runtime,
    _caller: MsoReader,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
) -> PerformanceReportOut:
    month = month_containing(clock.now())
    with rt.store.reader.connect() as conn:
        sites = month_report(conn, rt.store.metadata, month, site_id)
    return PerformanceReportOut.provisional(month, sites, service_line)
