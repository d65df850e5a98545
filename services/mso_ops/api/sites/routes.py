"""Sites, the service lines proposed at them, and their authorization requests to the PC."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Day
from mhg.changes import Change
from mhg.creation import creates, recorded
from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.steps import Steps, changing
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, Sites
from services.mso_ops.api.schemas import (
    AuthorizationRequestIn,
    ServiceLineCode,
    ServiceLineIn,
    ServiceLineOut,
    ServiceLineRow,
)
from services.mso_ops.api.sites.schemas import SiteIn, SiteKind, SiteRow, site_answer
from services.mso_ops.projections import sites as site_rows

router = APIRouter(tags=["sites"])

SiteStatus = Literal["proposed", "readying", "submitted", "approved", "live", "suspended", "closed"]

SITES = Listing(site_rows.SITES, SiteRow)
SERVICE_LINES = Listing(site_rows.SERVICE_LINES, ServiceLineRow)


SITE = Steps(router, "/sites/{site_id}", Sites, site_answer, asks_capability=True)
SITE.created(
    "proposeSite",
    "Propose a new clinic or campus site, optionally with its pro forma",
    SiteIn,
    MsoAdmin,
    lambda sites: sites.propose_site,
    (401, 403, 422),
    find=lambda sites: recorded(sites.site_exists, sites.site),
)


@listed(router, "/sites", "listSites", SITES, MsoReader)
def list_sites(
    status: SiteStatus | None = None,
    kind: SiteKind | None = None,
    proposed_from: Annotated[Day | None, Query(description="Proposed on or after")] = None,
    proposed_before: Annotated[Day | None, Query(description="Proposed before")] = None,
) -> None:
    """Sites with their status, readiness and pro forma figures, oldest first"""


SITE.shown(
    "getSite",
    "One site: status, readiness checklist with evidence, pro forma, go-live, terms",
    MsoReader,
    lambda sites: sites.site,
)


creates(
    router,
    "/sites/{site_id}/service-lines",
    "proposeServiceLine",
    "Propose a service line at a site (it takes bookings only once the PC authorizes it)",
    ServiceLineIn,
    MsoAdmin,
    Sites,
    # a service line's id is fixed by site and code: a repeat is the command's 409
    lambda sites: sites.propose_service_line,
    ServiceLineOut.of,
    (401, 403, 404, 409, 422),
    location="/sites/{site_id}/service-lines/{code}",
)


@routed(router, "GET /sites/{site_id}/service-lines", "listServiceLines", 404, 422)
def list_service_lines(
    site_id: UUID,
    rt: Runtime,
    sites: Sites,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: Annotated[str | None, Query(max_length=30)] = None,
) -> Page[ServiceLineRow]:
    """Service lines at a site and their authorization status"""
    sites.site(site_id)
    return SERVICE_LINES.page(rt, cursor, limit, site_id=site_id, status=status or None)


@shown(router, "/sites/{site_id}/service-lines/{code}", "getServiceLine", MsoReader)
def get_service_line(site_id: UUID, code: ServiceLineCode, sites: Sites) -> ServiceLineOut:
    """A service line at a site, with the PC authorization it runs under"""
    return ServiceLineOut.of(sites.service_line(site_id, code))


@changing(
    router,
    "/sites/{site_id}/service-lines/{code}/authorization-requests",
    "requestServiceLineAuthorization",
    status_code=201,
    description=(
        "Records the request and publishes it on the contract feed. The PC decides; the line "
        "becomes bookable only when the PC's approval arrives through the PC's feed."
    ),
)
def request_authorization(
    site_id: UUID,
    code: ServiceLineCode,
    body: AuthorizationRequestIn,
    sites: Sites,
    caller: MsoAdmin,
    change: Change,
) -> ServiceLineOut:
    """Ask the PC to authorize the service line at the site, with readiness evidence"""
    line = sites.request_authorization(
        site_id=site_id,
        code=code,
        readiness=body.readiness.model_dump(mode="json"),
        expected_version=change.expected_version(),
        meta=change.meta(caller),
    )
    return ServiceLineOut.of(change.answered(line))
