"""Material operational changes at a site: proposed here, decided by the PC."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg.bounded import Day
from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing, at_least, below, equals, start_of_day
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


@created(
    router,
    "/sites/{site_id}/changes",
    "requestSiteChange",
    SiteChangeOut,
    (401, 403, 404, 409, 422),
    description=(
        "Publishes `authorization.requested` (kind `material_change`) on the contract feed. "
        "The change takes effect at the site only when the PC's approval arrives through "
        "the PC's feed. Only at a site whose go-live the PC approved (409 otherwise)."
    ),
)
def request_change(
    site_id: UUID, body: SiteChangeIn, create: Create, site_changes: SiteChanges, caller: MsoAdmin
) -> JSONResponse:
    """Propose a material change (hours, staffing model, lab vendor, clinical supplies)"""
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


@listed(router, "/sites/{site_id}/changes", "listSiteChanges", SITE_CHANGES, MsoReader)
def list_changes(
    site_id: UUID,
    sites: Sites,
    status: ChangeStatus | None = None,
    aspect: Aspect | None = None,
    requested_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    requested_before: Annotated[Day | None, Query(description="Requested before")] = None,
) -> None:
    """Material changes proposed at a site and the PC's answer to each, oldest first"""
    sites.site(site_id)  # a site that does not exist: 404


@shown(router, "/sites/{site_id}/changes/{change_id}", "getSiteChange", MsoReader)
def get_change(site_id: UUID, change_id: UUID, site_changes: SiteChanges) -> SiteChangeOut:
    """One material change, with the PC authorization and decision that answered it"""
    return SiteChangeOut.of(site_changes.site_change(site_id, change_id))
