"""A site's readiness, its go-live request to the PC, opening, suspension and closure.

Every step is an update of the site: it honours `If-Match` and returns the new `ETag`.
The go-live decision is the PC's; the site moves to `approved` only when it arrives
through the PC's feed, and may open only then.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteLifecycle, Sites
from services.mso_ops.api.site_schemas import (
    ChecklistItemName,
    EvidenceIn,
    EvidenceRow,
    GoLiveRequestIn,
    ProFormaIn,
    ReasonIn,
    SiteOut,
)
from services.mso_ops.domain.site import Site

router = APIRouter(tags=["sites"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


def _site(response: Response, site: Site) -> SiteOut:
    set_etag(response, site.version)
    return SiteOut.of(site)


@router.post(
    "/sites/{site_id}/readiness",
    operation_id="startSiteReadiness",
    summary="Start readying a proposed site: its checklist can now take evidence",
    response_model=SiteOut,
    responses=UPDATING,
)
def start_readiness(
    site_id: UUID,
    request: Request,
    response: Response,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> SiteOut:
    site = site_lifecycle.start_site_readiness(
        site_id, expected_version=expected_version(if_match), meta=command_meta(request, caller)
    )
    return _site(response, site)


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
    request: Request,
    response: Response,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> SiteOut:
    site = site_lifecycle.record_checklist_evidence(
        site_id,
        item=item,
        met=body.met,
        document_ref=body.document_ref,
        note=body.note,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    return _site(response, site)


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
    table = rt.store.metadata.tables["mso_site_evidence"]
    filters: list[ColumnElement[bool]] = [table.c.site_id == site_id]
    if item:
        filters.append(table.c.item == item)
    if met is not None:
        filters.append(table.c.met == met)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[EvidenceRow](
        items=[EvidenceRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.put(
    "/sites/{site_id}/pro-forma",
    operation_id="setSiteProForma",
    summary="Set the site's pro forma; the monthly margin and payback months are computed",
    response_model=SiteOut,
    responses=UPDATING,
)
def set_pro_forma(
    site_id: UUID,
    body: ProFormaIn,
    request: Request,
    response: Response,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> SiteOut:
    site = site_lifecycle.set_site_pro_forma(
        site_id,
        pro_forma=body.model_dump(),
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    return _site(response, site)


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
    request: Request,
    response: Response,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> SiteOut:
    site = site_lifecycle.request_site_go_live(
        site_id,
        summary=body.summary,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    return _site(response, site)


@router.post(
    "/sites/{site_id}/go-live",
    operation_id="openSite",
    summary="Open the site (live): only once the PC's approval has arrived and is effective",
    response_model=SiteOut,
    responses=UPDATING,
)
def open_site(
    site_id: UUID,
    request: Request,
    response: Response,
    site_lifecycle: SiteLifecycle,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> SiteOut:
    site = site_lifecycle.open_site(
        site_id, expected_version=expected_version(if_match), meta=command_meta(request, caller)
    )
    return _site(response, site)


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
        body: ReasonIn,
        request: Request,
        response: Response,
        site_lifecycle: SiteLifecycle,
        caller: MsoAdmin,
        if_match: IfMatch = None,
    ) -> SiteOut:
        command = {
            "suspend": site_lifecycle.suspend_site,
            "resume": site_lifecycle.resume_site,
            "close": site_lifecycle.close_site,
        }
        site = command[step](
            site_id,
            reason=body.reason,
            expected_version=expected_version(if_match),
            meta=command_meta(request, caller),
        )
        return _site(response, site)


_reasoned_route("suspend", "suspendSite", "Suspend a live site for an operational reason")
_reasoned_route(
    "resume", "resumeSite", "Lift the MSO's own suspension (a PC suspension needs the PC)"
)
_reasoned_route("close", "closeSite", "Close the site for good, with the reason")
