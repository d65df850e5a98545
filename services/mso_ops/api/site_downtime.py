"""Site downtime windows, and the minutes each site was down per month (site reliability)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import MONTH_PATTERN
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter, site_and_days
from services.mso_ops.api.dependencies import Facilities, MsoAdmin, MsoReader
from services.mso_ops.api.facilities_schemas import (
    DowntimeIn,
    DowntimeMonthRow,
    DowntimeOut,
    DowntimeRow,
    EndDowntimeIn,
)
from services.mso_ops.api.staffing_schemas import ReasonIn

router = APIRouter(tags=["facilities and vendors"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)
Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, max_length=7, description="YYYY-MM")]


@router.post(
    "/site-downtime",
    operation_id="recordSiteDowntime",
    summary="Record a window when a site was down (open-ended while it still is)",
    status_code=201,
    response_model=DowntimeOut,
    responses=problems.responses(401, 403, 404, 422),
)
def record_downtime(
    body: DowntimeIn,
    request: Request,
    rt: Runtime,
    facilities: Facilities,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(window_id: UUID) -> dict[str, Any]:
        window = facilities.record_downtime(window_id=window_id, meta=meta, **body.model_dump())
        return DowntimeOut.of(window).model_dump(mode="json")

    def existing(window_id: UUID) -> dict[str, Any] | None:
        if not facilities.facility_record_exists(window_id):
            return None
        return DowntimeOut.of(facilities.downtime(window_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "recordSiteDowntime",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/site-downtime/{b['id']}",
    )


@router.get(
    "/site-downtime",
    operation_id="listSiteDowntime",
    summary="Downtime windows in the order they were recorded",
    response_model=Page[DowntimeRow],
    responses=problems.responses(401, 403, 422),
)
def list_downtime(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["open", "closed", "withdrawn"] | None = None,
) -> Page[DowntimeRow]:
    table = rt.store.metadata.tables["mso_downtime_windows"]
    filters = site_and_days(table, site, from_, to)
    if status:
        filters.append(table.c.status == status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[DowntimeRow](
        items=[DowntimeRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/site-downtime-minutes",
    operation_id="listSiteDowntimeMinutes",
    summary="Minutes each site was down per month (the site-reliability KPI's downtime)",
    response_model=Page[DowntimeMonthRow],
    responses=problems.responses(401, 403, 422),
)
def list_downtime_minutes(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site: SiteFilter = None,
    from_month: Month = None,
    to_month: Month = None,
) -> Page[DowntimeMonthRow]:
    table = rt.store.metadata.tables["mso_site_downtime_monthly"]
    filters: list[ColumnElement[bool]] = []
    if site:
        filters.append(table.c.site_id == site)
    if from_month:
        filters.append(table.c.month >= from_month)
    if to_month:
        filters.append(table.c.month <= to_month)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[DowntimeMonthRow](
        items=[DowntimeMonthRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/site-downtime/{window_id}",
    operation_id="getSiteDowntime",
    summary="One downtime window",
    response_model=DowntimeOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_downtime(
    window_id: UUID, response: Response, facilities: Facilities, _caller: MsoReader
) -> DowntimeOut:
    window = facilities.downtime(window_id)
    set_etag(response, window.version)
    return DowntimeOut.of(window)


@router.post(
    "/site-downtime/{window_id}/end",
    operation_id="endSiteDowntime",
    summary="Record when an open downtime window ended",
    response_model=DowntimeOut,
    responses=UPDATING,
)
def end_downtime(
    window_id: UUID,
    body: EndDowntimeIn,
    request: Request,
    response: Response,
    facilities: Facilities,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> DowntimeOut:
    window = facilities.end_downtime(
        window_id=window_id,
        end=body.end,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, window.version)
    return DowntimeOut.of(window)


@router.post(
    "/site-downtime/{window_id}/withdraw",
    operation_id="withdrawSiteDowntime",
    summary="Withdraw a window recorded in error (its minutes leave the monthly totals)",
    response_model=DowntimeOut,
    responses=UPDATING,
)
def withdraw_downtime(
    window_id: UUID,
    body: ReasonIn,
    request: Request,
    response: Response,
    facilities: Facilities,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> DowntimeOut:
    window = facilities.withdraw_downtime(
        window_id=window_id,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, window.version)
    return DowntimeOut.of(window)
