"""A site's readiness, its go-live request to the PC, opening, suspension and closure.

Every step is an update of the site: it honours `If-Match` and returns the new `ETag`.
The go-live decision is the PC's; the site moves to `approved` only when it arrives
through the PC's feed, and may open only then.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg import problems
from mhg.changes import Change
from mhg.listing import Listing, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteLifecycle, Sites
from services.mso_ops.api.schemas import NO_BODY
from services.mso_ops.api.sites.schemas import (
    ChecklistItemName,
    EvidenceIn,
    EvidenceRow,
    GoLiveRequestIn,
    ProFormaIn,
    SiteOut,
    SiteReasonIn,
)

router = APIRouter(tags=["sites"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


EVIDENCE = Listing("mso_site_evidence", EvidenceRow, site_id=equals(), item=equals(), met=equals())


@router.post(
    "/sites/{site_id}/readiness",
    operation_id="startSiteReadiness",
    summary="Start readying a proposed site: its checklist can now take evidence",
    response_model=SiteOut,
    responses=UPDATING,
)
def start_readiness(
    site_id: UUID, site_lifecycle: SiteLifecycle, caller: MsoAdmin, change: Change
) -> SiteOut:
    return SiteOut.of(change(caller, site_lifecycle.start_site_readiness, site_id, body=NO_BODY))


@router.put(
    "/sites/{site_id}/checklist/{item}",
    operation_id="recordChecklistEvidence",
    summary="Record evidence for a readiness checklist item: met or not, on which document",
    description=(
        "Who recorded it and when are taken from the credential and the clock. The latest "
        "evidence of an item is its state; earlier evidence stays in the history."
    ),
    response_model=SiteOut,
    responses=UPDATING,
)
def record_evidence(
    site_id: UUID,
    item: ChecklistItemName,
    body: EvidenceIn,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    change: Change,
) -> SiteOut:
    return SiteOut.of(
        change(caller, site_lifecycle.record_checklist_evidence, site_id, body=body, item=item)
    )


@router.get(
    "/sites/{site_id}/checklist-evidence",
    operation_id="listChecklistEvidence",
    summary="Every piece of checklist evidence recorded at a site, oldest first",
    response_model=Page[EvidenceRow],
    responses=problems.responses(401, 403, 404, 422),
)
def list_evidence(
    site_id: UUID,
    rt: Runtime,
    sites: Sites,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    item: ChecklistItemName | None = None,
    met: bool | None = None,
) -> Page[EvidenceRow]:
    sites.site(site_id)
    return EVIDENCE.page(rt, cursor, limit, site_id=site_id, item=item, met=met)


@router.put(
    "/sites/{site_id}/pro-forma",
    operation_id="setSiteProForma",
    summary="Set the site's pro forma; the monthly margin and payback months are computed",
    response_model=SiteOut,
    responses=UPDATING,
)
def set_pro_forma(
    site_id: UUID, body: ProFormaIn, site_lifecycle: SiteLifecycle, caller: MsoAdmin, change: Change
) -> SiteOut:
    site = change(
        caller,
        site_lifecycle.set_site_pro_forma,
        site_id,
        body=NO_BODY,
        pro_forma=body.model_dump(),
    )
    return SiteOut.of(site)


@router.post(
    "/sites/{site_id}/go-live-requests",
    operation_id="requestSiteGoLive",
    summary="Ask the PC to approve the site's go-live, with the checklist and the pro forma",
    description=(
        "Refused with 409 `site-not-ready` (naming what is `missing`) unless every checklist "
        "item is met and a pro forma is set. Publishes `authorization.requested` "
        "(kind `site_go_live`) on the contract feed; the PC decides."
    ),
    status_code=201,
    response_model=SiteOut,
    responses=UPDATING,
)
def request_go_live(
    site_id: UUID,
    body: GoLiveRequestIn,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    change: Change,
) -> SiteOut:
    return SiteOut.of(change(caller, site_lifecycle.request_site_go_live, site_id, body=body))


@router.post(
    "/sites/{site_id}/go-live",
    operation_id="openSite",
    summary="Open the site (live): only once the PC's approval has arrived and is effective",
    response_model=SiteOut,
    responses=UPDATING,
)
def open_site(
    site_id: UUID, site_lifecycle: SiteLifecycle, caller: MsoAdmin, change: Change
) -> SiteOut:
    return SiteOut.of(change(caller, site_lifecycle.open_site, site_id, body=NO_BODY))


def _reasoned_route(step: str, operation_id: str, summary: str) -> None:
    @router.post(
        f"/sites/{{site_id}}/{step}",
        operation_id=operation_id,
        summary=summary,
        response_model=SiteOut,
        responses=UPDATING,
    )
    def act(
        site_id: UUID,
        body: SiteReasonIn,
        site_lifecycle: SiteLifecycle,
        caller: MsoAdmin,
        change: Change,
    ) -> SiteOut:
        command = {
            "suspend": site_lifecycle.suspend_site,
            "resume": site_lifecycle.resume_site,
            "close": site_lifecycle.close_site,
        }
        return SiteOut.of(change(caller, command[step], site_id, body=body))


_reasoned_route("suspend", "suspendSite", "Suspend a live site for an operational reason")
_reasoned_route(
    "resume", "resumeSite", "Lift the MSO's own suspension (a PC suspension needs the PC)"
)
_reasoned_route("close", "closeSite", "Close the site for good, with the reason")
