"""Reading protocols: lists, reviews due, what was in effect where and when, any version."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import ColumnElement, or_, select

from mhg import problems
from mhg.bounded import Day
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from mhg.web import set_etag
from services.pc_governance.api.dependencies import Governance, PcReader
from services.pc_governance.api.protocol_schemas import (
    InEffectItem,
    InEffectOut,
    ProtocolOut,
    ProtocolRow,
    ProtocolType,
    ServiceLineCode,
    VersionOut,
)
from services.pc_governance.projections.protocols import ALL_SITES

router = APIRouter(tags=["protocols"])

Number = Annotated[int, Path(ge=1, le=100_000, description="The version number")]


@router.get(
    "/protocols",
    operation_id="listProtocols",
    summary="Protocols, oldest first, with their latest version's status",
    response_model=Page[ProtocolRow],
    responses=problems.responses(401, 403, 422),
)
def list_protocols(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    type: ProtocolType | None = None,
    service_line: ServiceLineCode | None = None,
    status: Annotated[
        Literal["draft", "approved", "retired"] | None,
        Query(description="Status of the latest version"),
    ] = None,
) -> Page[ProtocolRow]:
    table = rt.store.metadata.tables["pc_protocols"]
    lines = rt.store.metadata.tables["pc_protocol_service_lines"]
    filters: list[ColumnElement[bool]] = []
    if type:
        filters.append(table.c.type == type)
    if service_line:
        covering = select(lines.c.protocol_id).where(lines.c.service_line == service_line)
        filters.append(table.c.id.in_(covering))
    if status:
        filters.append(table.c.latest_status == status)
    return _page(rt, filters, cursor, limit)


def _page(
    rt: Runtime, filters: list[ColumnElement[bool]], cursor: str | None, limit: int
) -> Page[ProtocolRow]:
    table = rt.store.metadata.tables["pc_protocols"]
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ProtocolRow](
        items=[ProtocolRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


def _today() -> date:
    return datetime.now(UTC).date()


@router.get(
    "/protocols/review-due",
    operation_id="listProtocolsDueForReview",
    summary="Protocols whose annual review is overdue or due within the given days",
    response_model=Page[ProtocolRow],
    responses=problems.responses(401, 403, 422),
)
def review_due(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    within: Annotated[int, Query(ge=0, le=3660, description="Days from today")] = 30,
) -> Page[ProtocolRow]:
    table = rt.store.metadata.tables["pc_protocols"]
    horizon = _today() + timedelta(days=within)
    return _page(rt, [table.c.review_due <= horizon], cursor, limit)


@router.get(
    "/protocols/in-effect",
    operation_id="listProtocolsInEffect",
    summary="Which version of each protocol was in effect at a site, for a service line, on a day",
    response_model=InEffectOut,
    responses=problems.responses(401, 403, 422),
)
def in_effect(
    rt: Runtime,
    _caller: PcReader,
    site_id: UUID,
    service_line: ServiceLineCode,
    on: Annotated[Day | None, Query(description="Defaults to today")] = None,
) -> InEffectOut:
    day = on or _today()
    periods = rt.store.metadata.tables["pc_protocol_effectivity"]
    protocols = rt.store.metadata.tables["pc_protocols"]
    query = (
        select(
            periods.c.protocol_id,
            protocols.c.title,
            protocols.c.type,
            periods.c.version,
            periods.c.effective_from,
            periods.c.ended_on,
        )
        .join(protocols, protocols.c.id == periods.c.protocol_id)
        .where(
            periods.c.service_line == service_line,
            periods.c.site_id.in_([site_id, ALL_SITES]),
            periods.c.effective_from <= day,
            or_(periods.c.ended_on.is_(None), periods.c.ended_on > day),
        )
        .order_by(protocols.c.position)
    )
    with rt.store.reader.connect() as conn:
        items = [InEffectItem.model_validate(dict(r._mapping)) for r in conn.execute(query)]
    return InEffectOut(site_id=site_id, service_line=service_line, on=day, items=items)


@router.get(
    "/protocols/{protocol_id}",
    operation_id="getProtocol",
    summary="One protocol, its scope and every version's status and dates (no bodies)",
    response_model=ProtocolOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_protocol(
    protocol_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> ProtocolOut:
    protocol = gov.protocol(protocol_id)
    set_etag(response, protocol.version)
    return ProtocolOut.of(protocol)


@router.get(
    "/protocols/{protocol_id}/versions/{number}",
    operation_id="getProtocolVersion",
    summary="One version with its body, as drafted or approved: every version stays readable",
    response_model=VersionOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_version(
    protocol_id: UUID, number: Number, response: Response, gov: Governance, _caller: PcReader
) -> VersionOut:
    protocol = gov.protocol(protocol_id)
    set_etag(response, protocol.version)
    return VersionOut.of_version(protocol, protocol.version_numbered(number))
