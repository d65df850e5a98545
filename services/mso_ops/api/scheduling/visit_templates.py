"""The PC's visit templates the MSO has received through the PC's feed (read only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import Connection, select

from mhg import problems
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import MsoReader
from services.mso_ops.api.scheduling.visit_template_schemas import VisitTemplateOut
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.template_errors import VisitTemplateNotFound

router = APIRouter(tags=["staffing"])

ABOUT = (
    "Patient volume per clinician and clinician hours are the PC's decision: the MSO "
    "schedules and staffs only within the versions the PC approves, which reach it through "
    "the PC's feed. A version is in force from its `effective_from` until a later version's, "
    "and none after the template's retirement."
)


def _versions(rt: Runtime, conn: Connection, ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    table = rt.store.metadata.tables["mso_visit_template_versions"]
    found: dict[Any, list[dict[str, Any]]] = {i: [] for i in ids}
    query = select(table).where(table.c.template_id.in_(ids)).order_by(table.c.position)
    for row in conn.execute(query):
        found[row.template_id].append(dict(row._mapping))
    return found


@router.get(
    "/visit-templates",
    operation_id="listVisitTemplates",
    summary="The PC's visit templates the MSO has received, with every version, oldest first",
    description=ABOUT,
    response_model=Page[VisitTemplateOut],
    responses=problems.responses(401, 403, 422),
)
def list_visit_templates(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    service_line: ServiceLineCode | None = None,
) -> Page[VisitTemplateOut]:
    table = rt.store.metadata.tables["mso_visit_templates"]
    filters = [table.c.service_line == service_line] if service_line else []
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    with rt.store.reader.connect() as conn:
        versions = _versions(rt, conn, [r["id"] for r in rows])
    today = clock.today()
    return Page[VisitTemplateOut](
        items=[VisitTemplateOut.of(r, versions[r["id"]], today) for r in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "/visit-templates/{template_id}",
    operation_id="getVisitTemplate",
    summary="One visit template the MSO has received, with every version and its retirement",
    description=ABOUT,
    response_model=VisitTemplateOut,
    responses=problems.responses(401, 403, 404),
)
def get_visit_template(rt: Runtime, _caller: MsoReader, template_id: UUID) -> VisitTemplateOut:
    table = rt.store.metadata.tables["mso_visit_templates"]
    with rt.store.reader.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == template_id)).first()
        if row is None:
            raise VisitTemplateNotFound(f"the PC has published no visit template {template_id}")
        versions = _versions(rt, conn, [template_id])[template_id]
    return VisitTemplateOut.of(dict(row._mapping), versions, clock.today())
