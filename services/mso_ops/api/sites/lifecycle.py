"""A site's readiness, its go-live request to the PC, opening, suspension and closure.

Every step is an update of the site: it honours `If-Match` and returns the new `ETag`.
The go-live decision is the PC's; the site moves to `approved` only when it arrives
through the PC's feed, and may open only then.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.changes import Change
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps, changing
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteLifecycle, Sites
from services.mso_ops.api.sites.schemas import (
    ChecklistItemName,
    EvidenceIn,
    EvidenceRow,
    GoLiveRequestIn,
    ProFormaIn,
    SiteOut,
    SiteReasonIn,
    SiteTimeZoneIn,
    lifecycle_answer,
)
from services.mso_ops.projections import sites as site_rows

router = APIRouter(tags=["sites"])

EVIDENCE = Listing(site_rows.EVIDENCE, EvidenceRow)
SITE = Steps(router, "/sites/{site_id}", SiteLifecycle, lifecycle_answer, asks_capability=True)


SITE.step(
    "readiness",
    "startSiteReadiness",
    "Start readying a proposed site: its checklist can now take evidence",
    None,
    MsoAdmin,
    lambda site_lifecycle: site_lifecycle.start_site_readiness,
)


@changing(
    router,
    "/sites/{site_id}/checklist/{item}",
    "recordChecklistEvidence",
    method="PUT",
    description=(
        "Who recorded it and when are taken from the credential and the clock. The latest "
        "evidence of an item is its state; earlier evidence stays in the history."
    ),
)
def record_evidence(
    site_id: UUID,
    item: ChecklistItemName,
    body: EvidenceIn,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    change: Change,
) -> SiteOut:
    """Record evidence for a readiness checklist item: met or not, on which document"""
    return lifecycle_answer(
        site_lifecycle,
        change(caller, site_lifecycle.record_checklist_evidence, site_id, body=body, item=item),
    )


@listed(router, "/sites/{site_id}/checklist-evidence", "listChecklistEvidence", EVIDENCE, MsoReader)
def list_evidence(
    site_id: UUID, sites: Sites, item: ChecklistItemName | None = None, met: bool | None = None
) -> None:
    """Every piece of checklist evidence recorded at a site, oldest first"""
    sites.site(site_id)  # a site that does not exist: 404


@changing(router, "/sites/{site_id}/pro-forma", "setSiteProForma", method="PUT")
def set_pro_forma(
    site_id: UUID, body: ProFormaIn, site_lifecycle: SiteLifecycle, caller: MsoAdmin, change: Change
) -> SiteOut:
    """Set the site's pro forma; the monthly margin and payback months are computed"""
    site = change(
        caller,
        site_lifecycle.set_site_pro_forma,
        site_id,
        body=None,
        pro_forma=body.model_dump(),
    )
    return lifecycle_answer(site_lifecycle, site)


@changing(
    router,
    "/sites/{site_id}/time-zone",
    "setSiteTimeZone",
    method="PUT",
    description=(
        "The site's effective dates, today, shift days and claim dates are then judged on its "
        "own wall clock; stored instants stay UTC. An unknown zone is 422 "
        "`unknown-time-zone` on `time_zone`; null returns the site to UTC days."
    ),
)
def set_time_zone(
    site_id: UUID,
    body: SiteTimeZoneIn,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    change: Change,
) -> SiteOut:
    """Set or change the site's IANA time zone"""
    return lifecycle_answer(
        site_lifecycle, change(caller, site_lifecycle.set_site_time_zone, site_id, body=body)
    )


@changing(
    router,
    "/sites/{site_id}/go-live-requests",
    "requestSiteGoLive",
    status_code=201,
    description=(
        "Refused with 409 `site-not-ready` (naming what is `missing`) unless every checklist "
        "item is met and a pro forma is set. Publishes `authorization.requested` "
        "(kind `site_go_live`) on the contract feed; the PC decides."
    ),
)
def request_go_live(
    site_id: UUID,
    body: GoLiveRequestIn,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    change: Change,
) -> SiteOut:
    """Ask the PC to approve the site's go-live, with the checklist and the pro forma"""
    return lifecycle_answer(
        site_lifecycle, change(caller, site_lifecycle.request_site_go_live, site_id, body=body)
    )


SITE.step(
    "go-live",
    "openSite",
    "Open the site (live): only once the PC's approval has arrived and is effective",
    None,
    MsoAdmin,
    lambda site_lifecycle: site_lifecycle.open_site,
)
SITE.step(
    "suspend",
    "suspendSite",
    "Suspend a live site for an operational reason",
    SiteReasonIn,
    MsoAdmin,
    lambda site_lifecycle: site_lifecycle.suspend_site,
)
SITE.step(
    "resume",
    "resumeSite",
    "Lift the MSO's own suspension (a PC suspension needs the PC)",
    SiteReasonIn,
    MsoAdmin,
    lambda site_lifecycle: site_lifecycle.resume_site,
)
SITE.step(
    "close",
    "closeSite",
    "Close the site for good, with the reason",
    SiteReasonIn,
    MsoAdmin,
    lambda site_lifecycle: site_lifecycle.close_site,
)
