"""Site downtime windows, and the minutes each site was down per month (site reliability)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mhg.bounded import MONTH_PATTERN
from mhg.creation import recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.steps import Steps
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import Facilities, MsoAdmin, MsoReader
from services.mso_ops.api.facilities.downtime_schemas import (
    DowntimeIn,
    DowntimeMonthRow,
    DowntimeOut,
    DowntimeRow,
    EndDowntimeIn,
)
from services.mso_ops.api.staffing.schemas import ChangeReasonIn
from services.mso_ops.projections import site_downtime

router = APIRouter(tags=["facilities and vendors"])

Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, max_length=7, description="YYYY-MM")]

DOWNTIME = Listing(site_downtime.DOWNTIME, DowntimeRow)
DOWNTIME_MINUTES = Listing(site_downtime.DOWNTIME_MINUTES, DowntimeMonthRow)


WINDOW = Steps(router, "/site-downtime/{window_id}", Facilities, DowntimeOut.of)
WINDOW.created(
    "recordSiteDowntime",
    "Record a window when a site was down (open-ended while it still is)",
    DowntimeIn,
    MsoAdmin,
    lambda facilities: facilities.record_downtime,
    (401, 403, 404, 422),
    find=lambda facilities: recorded(facilities.facility_record_exists, facilities.downtime),
)


@listed(router, "/site-downtime", "listSiteDowntime", DOWNTIME, MsoReader)
def list_downtime(
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["open", "closed", "withdrawn"] | None = None,
) -> None:
    """Downtime windows in the order they were recorded"""


@paged(router, "/site-downtime-minutes", "listSiteDowntimeMinutes", MsoReader)
def list_downtime_minutes(
    pages: Pages,
    site: SiteFilter = None,
    from_month: Month = None,
    to_month: Month = None,
) -> Page[DowntimeMonthRow]:
    """Minutes each site was down per month (the site-reliability KPI's downtime)"""
    return pages(
        DOWNTIME_MINUTES, site=site, from_month=from_month or None, to_month=to_month or None
    )


WINDOW.shown(
    "getSiteDowntime", "One downtime window", MsoReader, lambda facilities: facilities.downtime
)


WINDOW.step(
    "end",
    "endSiteDowntime",
    "Record when an open downtime window ended",
    EndDowntimeIn,
    MsoAdmin,
    lambda facilities: facilities.end_downtime,
)
WINDOW.step(
    "withdraw",
    "withdrawSiteDowntime",
    "Withdraw a window recorded in error (its minutes leave the monthly totals)",
    ChangeReasonIn,
    MsoAdmin,
    lambda facilities: facilities.withdraw_downtime,
)
