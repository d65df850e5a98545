"""Reading protocols: lists, reviews due, what was in effect where and when, any version."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from mhg.bounded import Day
from mhg.changes import read
from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.routed import routed
from mhg.routes import Runtime
from services.pc_governance.api.dependencies import PcReader, Protocols
from services.pc_governance.api.protocols.schemas import (
    InEffectItem,
    InEffectOut,
    ProtocolOut,
    ProtocolRow,
    ProtocolType,
    ServiceLineCode,
    VersionOut,
)
from services.pc_governance.api.schemas import VersionNumber
from services.pc_governance.application import clock
from services.pc_governance.projections import protocols as read_side
from services.pc_governance.projections.site_zones import site_zone

router = APIRouter(tags=["protocols"])


PROTOCOLS = Listing(read_side.PROTOCOLS, ProtocolRow)


@listed(router, "/protocols", "listProtocols", PROTOCOLS, PcReader)
def list_protocols(
    type: ProtocolType | None = None,
    service_line: ServiceLineCode | None = None,
    status: Annotated[
        Literal["draft", "approved", "retired"] | None,
        Query(description="Status of the latest version"),
    ] = None,
) -> None:
    """Protocols, oldest first, with their latest version's status"""


@paged(router, "/protocols/review-due", "listProtocolsDueForReview", PcReader)
def review_due(
    pages: Pages,
    within: Annotated[int, Query(ge=0, le=3660, description="Days from today")] = 30,
) -> Page[ProtocolRow]:
    """Protocols whose annual review is overdue or due within the given days"""
    return pages(PROTOCOLS, review_due_by=clock.today() + timedelta(days=within))


@routed(router, "GET /protocols/in-effect", "listProtocolsInEffect", 422)
def in_effect(
    rt: Runtime,
    _caller: PcReader,
    site_id: UUID,
    service_line: ServiceLineCode,
    on: Annotated[Day | None, Query(description="Defaults to today at the site")] = None,
) -> InEffectOut:
    """Which version of each protocol was in effect at a site, for a service line, on a day"""
    day = on or clock.today_at(site_zone(rt.store, site_id))
    rows = read_side.in_effect(rt.store, site_id, service_line, day)
    items = [InEffectItem.model_validate(row) for row in rows]
    return InEffectOut(site_id=site_id, service_line=service_line, on=day, items=items)


@shown(router, "/protocols/{protocol_id}", "getProtocol", PcReader)
def get_protocol(protocol_id: UUID, protocols: Protocols) -> ProtocolOut:
    """One protocol, its scope and every version's status and dates (no bodies)"""
    return ProtocolOut.of(protocols.protocol(protocol_id))


@routed(router, "GET /protocols/{protocol_id}/versions/{number}", "getProtocolVersion", 404, 422)
def get_version(
    protocol_id: UUID,
    number: VersionNumber,
    response: Response,
    protocols: Protocols,
    _caller: PcReader,
) -> VersionOut:
    """One version with its body, as drafted or approved: every version stays readable"""
    protocol = read(response, protocols.protocol(protocol_id))
    return VersionOut.numbered(protocol, number)
