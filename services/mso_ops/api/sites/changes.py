"""Material operational changes at a site: proposed here, decided by the PC."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Day
from mhg.changes import read
from mhg.creation import Create
from mhg.listing import Listing, at_least, below, equals, start_of_day
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteChanges, Sites
from services.mso_ops.api.sites.change_schemas import (
    Aspect,
    SiteChangeIn,
    SiteChangeOut,
    SiteChangeRow,
)

router = APIRouter(tags=["sites"])

ChangeStatus = Literal["requested", "approved", "denied", "suspended", "revoked"]

SITE_CHANGES = Listing(
    "mso_site_changes",
    SiteChangeRow,
    site_id=equals(),
    status=equals(),
    aspect=equals(),
    requested_from=at_least("requested_at", start_of_day),
    requested_before=below("requested_at", start_of_day),
)


@router.post(
    "/sites/{site_id}/changes",
    operation_id="requestSiteChange",
    summary="Propose a material change (hours, staffing model, lab vendor, clinical supplies)",
    description=(
        "Publishes `authorization.requested` (kind `material_change`) on the contract feed. "
        "The change takes effect at the site only when the PC's approval arrives through "
        "the PC's feed. Only at a site whose go-live the PC approved (409 otherwise)."
    ),
    status_code=201,
    response_model=SiteChangeOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def request_change(
    site_id: UUID, body: SiteChangeIn, create: Create, site_changes: SiteChanges, caller: MsoAdmin
) -> JSONResponse:
    return create(
        caller,
        body,
        make=lambda change_id, meta: site_changes.request_site_change(
            change_id=change_id,
            site_id=site_id,
            aspect=body.aspect,
            proposed=body.proposed,
            description=body.description,
            meta=meta,
        ),
        find=site_changes.site_change_for,
        answer=SiteChangeOut.of,
        location="/sites/{site_id}/changes/{id}",
    )


@router.get(
    "/sites/{site_id}/changes",
    operation_id="listSiteChanges",
    summary="Material changes proposed at a site and the PC's answer to each, oldest first",
    response_model=Page[SiteChangeRow],
    responses=problems.responses(401, 403, 404, 422),
)
def list_changes(
    site_id: UUID,
    rt: Runtime,
    sites: Sites,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: ChangeStatus | None = None,
    aspect: Aspect | None = None,
    requested_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    requested_before: Annotated[Day | None, Query(description="Requested before")] = None,
) -> Page[SiteChangeRow]:
    sites.site(site_id)
    return SITE_CHANGES.page(
        rt,
        cursor,
        limit,
        site_id=site_id,
        status=status,
        aspect=aspect,
        requested_from=requested_from,
        requested_before=requested_before,
    )


@router.get(
    "/sites/{site_id}/changes/{change_id}",
    operation_id="getSiteChange",
    summary="One material change, with the PC authorization and decision that answered it",
    response_model=SiteChangeOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_change(
    site_id: UUID,
    change_id: UUID,
    response: Response,
    site_changes: SiteChanges,
    _caller: MsoReader,
) -> SiteChangeOut:
    return SiteChangeOut.of(read(response, site_changes.site_change(site_id, change_id)))
