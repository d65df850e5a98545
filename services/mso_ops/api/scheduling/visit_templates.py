"""The PC's visit templates the MSO has received through the PC's feed (read only)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg import problems
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import MsoReader
from services.mso_ops.api.scheduling.visit_template_schemas import VisitTemplateOut
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.template_errors import VisitTemplateNotFound
from services.mso_ops.projections import visit_templates

router = APIRouter(tags=["staffing"])

ABOUT = (
    "Patient volume per clinician and clinician hours are the PC's decision: the MSO "
    "schedules and staffs only within the versions the PC approves, which reach it through "
    "the PC's feed. A version is in force from its `effective_from` until a later version's, "
    "and none after the template's retirement."
)


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
    found, next_cursor = visit_templates.received_page(
        rt.store, cursor, limit, service_line=service_line
    )
    today = clock.today()
    return Page[VisitTemplateOut](
        items=[VisitTemplateOut.of(row, versions, today) for row, versions in found],
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
    found = visit_templates.received(rt.store, template_id)
    if found is None:
        raise VisitTemplateNotFound(f"the PC has published no visit template {template_id}")
    return VisitTemplateOut.of(*found, clock.today())
