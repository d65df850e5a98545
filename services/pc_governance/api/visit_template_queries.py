"""Reading visit templates: the list (by service line, status, site) and one template."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from sqlalchemy import ColumnElement, select

from mhg import problems
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from services.pc_governance.api.dependencies import Governance, PcReader
from services.pc_governance.api.protocol_schemas import ServiceLineCode
from services.pc_governance.api.visit_template_schemas import (
    Status,
    VisitTemplateOut,
    VisitTemplateRow,
)
from services.pc_governance.api.visit_templates import etagged
from services.pc_governance.projections.protocols import ALL_SITES

router = APIRouter(tags=["visit-templates"])


@router.get(
    "/visit-templates",
    operation_id="listVisitTemplates",
    summary="Visit templates, oldest first, with the standing (or draft) version's terms",
    response_model=Page[VisitTemplateRow],
    responses=problems.responses(401, 403, 422),
)
def list_templates(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    service_line: ServiceLineCode | None = None,
    status: Status | None = None,
    site_id: UUID | None = None,
) -> Page[VisitTemplateRow]:
    table = rt.store.metadata.tables["pc_visit_templates"]
    sites = rt.store.metadata.tables["pc_visit_template_sites"]
    filters: list[ColumnElement[bool]] = []
    if service_line:
        filters.append(table.c.service_line == service_line)
    if status:
        filters.append(table.c.status == status)
    if site_id:
        covering = select(sites.c.template_id).where(sites.c.site_id.in_([site_id, ALL_SITES]))
        filters.append(table.c.id.in_(covering))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[VisitTemplateRow](
        items=[VisitTemplateRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/visit-templates/{template_id}",
    operation_id="getVisitTemplate",
    summary="One visit template: every version's terms, status, dates and decision",
    response_model=VisitTemplateOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_template(
    template_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> VisitTemplateOut:
    return etagged(response, VisitTemplateOut.of(gov.visit_template(template_id)))
