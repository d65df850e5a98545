"""Site downtime windows, and the minutes each site was down per month (site reliability)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import MONTH_PATTERN
from mhg.changes import Change, read
from mhg.creation import Create
from mhg.listing import Listing, at_least, at_most, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.day_filters import SITE_AND_DAYS, FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import Facilities, MsoAdmin, MsoReader
from services.mso_ops.api.facilities.downtime_schemas import (
    DowntimeIn,
    DowntimeMonthRow,
    DowntimeOut,
    DowntimeRow,
    EndDowntimeIn,
)
from services.mso_ops.api.finding import if_exists
from services.mso_ops.api.staffing.schemas import ChangeReasonIn

router = APIRouter(tags=["facilities and vendors"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)
Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, max_length=7, description="YYYY-MM")]

DOWNTIME = Listing("mso_downtime_windows", DowntimeRow, **SITE_AND_DAYS, status=equals())
DOWNTIME_MINUTES = Listing(
    "mso_site_downtime_monthly",
    DowntimeMonthRow,
    site=equals("site_id"),
    from_month=at_least("month"),
    to_month=at_most("month"),
)


@router.post(
    "/site-downtime",
    operation_id="recordSiteDowntime",
    summary="Record a window when a site was down (open-ended while it still is)",
    status_code=201,
    response_model=DowntimeOut,
    responses=problems.responses(401, 403, 404, 422),
)
def record_downtime(
    body: DowntimeIn, create: Create, facilities: Facilities, caller: MsoAdmin
) -> JSONResponse:
    return create(
        caller,
        body,
        make=lambda window_id, meta: facilities.record_downtime(
            window_id=window_id, meta=meta, **body.model_dump()
        ),
        find=if_exists(facilities.facility_record_exists, facilities.downtime),
        answer=DowntimeOut.of,
        location="/site-downtime/{id}",
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
    return DOWNTIME.page(rt, cursor, limit, site=site, from_=from_, to=to, status=status)


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
    return DOWNTIME_MINUTES.page(
        rt, cursor, limit, site=site, from_month=from_month or None, to_month=to_month or None
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
    return DowntimeOut.of(read(response, facilities.downtime(window_id)))


@router.post(
    "/site-downtime/{window_id}/end",
    operation_id="endSiteDowntime",
    summary="Record when an open downtime window ended",
    response_model=DowntimeOut,
    responses=UPDATING,
)
def end_downtime(
    window_id: UUID, body: EndDowntimeIn, facilities: Facilities, caller: MsoAdmin, change: Change
) -> DowntimeOut:
    return DowntimeOut.of(change(caller, facilities.end_downtime, body=body, window_id=window_id))


@router.post(
    "/site-downtime/{window_id}/withdraw",
    operation_id="withdrawSiteDowntime",
    summary="Withdraw a window recorded in error (its minutes leave the monthly totals)",
    response_model=DowntimeOut,
    responses=UPDATING,
)
def withdraw_downtime(
    window_id: UUID, body: ChangeReasonIn, facilities: Facilities, caller: MsoAdmin, change: Change
) -> DowntimeOut:
    return DowntimeOut.of(
        change(caller, facilities.withdraw_downtime, body=body, window_id=window_id)
    )
