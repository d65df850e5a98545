"""Material operational changes at a site: proposed here, decided by the PC."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import Day
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import command_meta, set_etag
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, SiteChanges, Sites
from services.mso_ops.api.site_change_schemas import (
    Aspect,
    SiteChangeIn,
    SiteChangeOut,
    SiteChangeRow,
)

router = APIRouter(tags=["sites"])

ChangeStatus = Literal["requested", "approved", "denied", "suspended", "revoked"]


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
    site_id: UUID,
    body: SiteChangeIn,
    request: Request,
    rt: Runtime,
    site_changes: SiteChanges,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(change_id: UUID) -> dict[str, object]:
        change = site_changes.request_site_change(
            change_id=change_id,
            site_id=site_id,
            aspect=body.aspect,
            proposed=body.proposed,
            description=body.description,
            meta=meta,
        )
        return SiteChangeOut.of(change).model_dump(mode="json")

    def existing(change_id: UUID) -> dict[str, object] | None:
        change = site_changes.site_change_for(change_id)
        return SiteChangeOut.of(change).model_dump(mode="json") if change else None

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"requestSiteChange:{site_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/sites/{b['site_id']}/changes/{b['id']}",
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
    table = rt.store.metadata.tables["mso_site_changes"]
    filters: list[ColumnElement[bool]] = [table.c.site_id == site_id]
    if status:
        filters.append(table.c.status == status)
    if aspect:
        filters.append(table.c.aspect == aspect)
    if requested_from:
        filters.append(table.c.requested_at >= datetime.combine(requested_from, time(), UTC))
    if requested_before:
        filters.append(table.c.requested_at < datetime.combine(requested_before, time(), UTC))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[SiteChangeRow](
        items=[SiteChangeRow.model_validate(r) for r in rows], next_cursor=next_cursor
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
    change = site_changes.site_change(site_id, change_id)
    set_etag(response, change.version)
    return SiteChangeOut.of(change)
