"""Reading visit templates: the list (by service line, status, site) and one template."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import ColumnElement, Table, select

from mhg.declared import listed
from mhg.listing import Listing, Selection, equals, matching
from mhg.resource import Resource
from services.pc_governance.api.dependencies import PcReader, VisitTemplates
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.visit_templates.schemas import (
    Status,
    VisitTemplateOut,
    VisitTemplateRow,
)
from services.pc_governance.projections.protocols import ALL_SITES

router = APIRouter(tags=["visit-templates"])


def _at_site(table: Table, site_id: UUID) -> ColumnElement[bool]:
    """Templates that apply at the site: named for it, or for every site."""
    sites = table.metadata.tables["pc_visit_template_sites"]
    covering = select(sites.c.template_id).where(sites.c.site_id.in_([site_id, ALL_SITES]))
    return table.c.id.in_(covering)


TEMPLATES = Listing(
    Selection(
        "pc_visit_templates", service_line=equals(), status=equals(), site_id=matching(_at_site)
    ),
    VisitTemplateRow,
)


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
