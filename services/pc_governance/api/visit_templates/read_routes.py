"""Reading visit templates: the list (by service line, status, site) and one template."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.declared import listed
from mhg.listing import Listing
from mhg.resource import Resource
from services.pc_governance.api.dependencies import PcReader, VisitTemplates
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.visit_templates.schemas import (
    Status,
    VisitTemplateOut,
    VisitTemplateRow,
)
from services.pc_governance.projections import visit_templates as read_side

router = APIRouter(tags=["visit-templates"])


TEMPLATES = Listing(read_side.TEMPLATES, VisitTemplateRow)


@listed(router, "/visit-templates", "listVisitTemplates", TEMPLATES, PcReader)
def list_templates(
    service_line: ServiceLineCode | None = None,
    status: Status | None = None,
    site_id: UUID | None = None,
) -> None:
    """Visit templates, oldest first, with the standing (or draft) version's terms"""


TEMPLATE = Resource(
    router,
    "/visit-templates/{template_id}",
    VisitTemplates,
    VisitTemplateOut.of,
    lambda visit_templates: visit_templates.visit_template,
)
TEMPLATE.shown(
    "getVisitTemplate",
    "One visit template: every version's terms, status, dates and decision",
    PcReader,
)
