"""Coverage gaps: shifts that need clinical coverage and fail the PC's rules, with reasons."""

from __future__ import annotations

from fastapi import APIRouter

from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import MsoReader
from services.mso_ops.api.staffing.schemas import CoverageGapRow, ShortfallReason
from services.mso_ops.projections import staffing as staffing_rows

router = APIRouter(tags=["staffing"])

COVERAGE_GAPS = Listing(staffing_rows.COVERAGE_GAPS, CoverageGapRow)


@paged(
    router,
    "/coverage-gaps",
    "listCoverageGaps",
    MsoReader,
    description=(
        "Re-judged whenever a shift's staff changes and whenever the PC's feed brings a "
        "clinician's eligibility or new supervision rules; a PC fact applies to shifts that "
        "end after it took effect."
    ),
)
def list_coverage_gaps(
    pages: Pages,
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    reason: ShortfallReason | None = None,
) -> Page[CoverageGapRow]:
    """Shifts that need clinical coverage and fail the PC's rules, with the reasons"""
    return pages(COVERAGE_GAPS, site=site, from_=from_, to=to, reason=reason)
