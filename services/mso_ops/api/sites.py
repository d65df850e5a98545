"""Sites, the service lines proposed at them, and their authorization requests to the PC."""

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
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, Sites
from services.mso_ops.api.schemas import (
    AuthorizationRequestIn,
    ServiceLineCode,
    ServiceLineIn,
    ServiceLineOut,
    ServiceLineRow,
)
from services.mso_ops.api.site_schemas import SiteIn, SiteKind, SiteOut, SiteRow

router = APIRouter(tags=["sites"])

SiteStatus = Literal["proposed", "readying", "submitted", "approved", "live", "suspended", "closed"]


@router.post(
    "/sites",
    operation_id="proposeSite",
    summary="Propose a new clinic or campus site, optionally with its pro forma",
    status_code=201,
    response_model=SiteOut,
    responses=problems.responses(401, 403, 422),
)
def propose_site(
    body: SiteIn,
    request: Request,
    rt: Runtime,
    sites: Sites,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(site_id: UUID) -> dict[str, object]:
        site = sites.propose_site(site_id=site_id, meta=meta, **body.model_dump())
        return SiteOut.of(site).model_dump(mode="json")

    def existing(site_id: UUID) -> dict[str, object] | None:
        return (
            SiteOut.of(sites.site(site_id)).model_dump(mode="json")
            if sites.site_exists(site_id)
            else None
        )

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "proposeSite",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/sites/{b['id']}",
    )


@router.get(
    "/sites",
    operation_id="listSites",
    summary="Sites with their status, readiness and pro forma figures, oldest first",
    response_model=Page[SiteRow],
    responses=problems.responses(401, 403, 422),
)
def list_sites(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: SiteStatus | None = None,
    kind: SiteKind | None = None,
    proposed_from: Annotated[Day | None, Query(description="Proposed on or after")] = None,
    proposed_before: Annotated[Day | None, Query(description="Proposed before")] = None,
) -> Page[SiteRow]:
    table = rt.store.metadata.tables["mso_sites"]
    filters: list[ColumnElement[bool]] = []
    if status:
        filters.append(table.c.status == status)
    if kind:
        filters.append(table.c.kind == kind)
    if proposed_from:
        filters.append(table.c.proposed_at >= datetime.combine(proposed_from, time(), UTC))
    if proposed_before:
        filters.append(table.c.proposed_at < datetime.combine(proposed_before, time(), UTC))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[SiteRow](items=[SiteRow.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/sites/{site_id}",
    operation_id="getSite",
    summary="One site: status, readiness checklist with evidence, pro forma, go-live, terms",
    response_model=SiteOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_site(site_id: UUID, response: Response, sites: Sites, _caller: MsoReader) -> SiteOut:
    site = sites.site(site_id)
    set_etag(response, site.version)
    return SiteOut.of(site)


@router.post(
    "/sites/{site_id}/service-lines",
    operation_id="proposeServiceLine",
    summary="Propose a service line at a site (it takes bookings only once the PC authorizes it)",
    status_code=201,
    response_model=ServiceLineOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def propose_service_line(
    site_id: UUID,
    body: ServiceLineIn,
    request: Request,
    rt: Runtime,
    sites: Sites,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(_id: UUID) -> dict[str, object]:
        line = sites.propose_service_line(site_id=site_id, code=body.code, meta=meta)
        return ServiceLineOut.of(line).model_dump(mode="json")

    def existing(_id: UUID) -> dict[str, object] | None:
        return None  # a service line's id is fixed by site and code: a repeat is a 409

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"proposeServiceLine:{site_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/sites/{b['site_id']}/service-lines/{b['code']}",
    )


@router.get(
    "/sites/{site_id}/service-lines",
    operation_id="listServiceLines",
    summary="Service lines at a site and their authorization status",
    response_model=Page[ServiceLineRow],
    responses=problems.responses(401, 403, 404, 422),
)
def list_service_lines(
    site_id: UUID,
    rt: Runtime,
    sites: Sites,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: Annotated[str | None, Query(max_length=30)] = None,
) -> Page[ServiceLineRow]:
    sites.site(site_id)
    table = rt.store.metadata.tables["mso_service_lines"]
    filters: list[ColumnElement[bool]] = [table.c.site_id == site_id]
    if status:
        filters.append(table.c.status == status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ServiceLineRow](
        items=[ServiceLineRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/sites/{site_id}/service-lines/{code}",
    operation_id="getServiceLine",
    summary="A service line at a site, with the PC authorization it runs under",
    response_model=ServiceLineOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_service_line(
    site_id: UUID, code: ServiceLineCode, response: Response, sites: Sites, _caller: MsoReader
) -> ServiceLineOut:
    line = sites.service_line(site_id, code)
    set_etag(response, line.version)
    return ServiceLineOut.of(line)


@router.post(
    "/sites/{site_id}/service-lines/{code}/authorization-requests",
    operation_id="requestServiceLineAuthorization",
    summary="Ask the PC to authorize the service line at the site, with readiness evidence",
    description=(
        "Records the request and publishes it on the contract feed. The PC decides; the line "
        "becomes bookable only when the PC's approval arrives through the PC's feed."
    ),
    status_code=201,
    response_model=ServiceLineOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def request_authorization(
    site_id: UUID,
    code: ServiceLineCode,
    body: AuthorizationRequestIn,
    request: Request,
    response: Response,
    sites: Sites,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> ServiceLineOut:
    line = sites.request_authorization(
        site_id=site_id,
        code=code,
        readiness=body.readiness.model_dump(mode="json"),
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, line.version)
    return ServiceLineOut.of(line)
