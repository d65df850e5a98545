"""Material operational changes at a site: proposed here, decided by the PC."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Day
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteChanges, Sites
from services.mso_ops.api.sites.change_schemas import (
    MaterialChangeAspect,
    SiteChangeIn,
    SiteChangeOut,
    SiteChangeRow,
)
from services.mso_ops.projections import site_changes as change_rows

router = APIRouter(tags=["sites"])

ChangeStatus = Literal["requested", "approved", "denied", "suspended", "revoked"]

SITE_CHANGES = Listing(change_rows.SITE_CHANGES, SiteChangeRow)


CHANGE = Steps(router, "/sites/{site_id}/changes/{change_id}", SiteChanges, SiteChangeOut.of)
CHANGE.created(
    "requestSiteChange",
    "Propose a material change (hours, staffing model, lab vendor, clinical supplies)",
    SiteChangeIn,
    MsoAdmin,
    lambda site_changes: site_changes.request_site_change,
    (401, 403, 404, 409, 422),
    find=lambda site_changes: site_changes.site_change_for,
    description=(
        "Publishes `authorization.requested` (kind `material_change`) on the contract feed. "
        "The change takes effect at the site only when the PC's approval arrives through "
        "the PC's feed. Only at a site whose go-live the PC approved (409 otherwise)."
    ),
)


@listed(router, "/sites/{site_id}/changes", "listSiteChanges", SITE_CHANGES, MsoReader)
def list_changes(
    site_id: UUID,
    sites: Sites,
    status: ChangeStatus | None = None,
    aspect: MaterialChangeAspect | None = None,
    requested_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    requested_before: Annotated[Day | None, Query(description="Requested before")] = None,
) -> None:
    """Material changes proposed at a site and the PC's answer to each, oldest first"""
    sites.site(site_id)  # a site that does not exist: 404


CHANGE.shown(
    "getSiteChange",
    "One material change, with the PC authorization and decision that answered it",
    MsoReader,
    lambda site_changes: site_changes.site_change,
)
