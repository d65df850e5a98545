"""Visit templates for the PC's lists: status, the standing version and its terms.

A row shows the standing version's terms (the approved one in force or to be), or
the draft's while nothing is approved. `pc_visit_template_sites` holds one row per
site those terms cover (ALL_SITES for a template of every site), so the site filter
is one indexed lookup; its rows are rewritten whenever the shown terms change, each
`position` derived from the event's as in the protocol read model. TEMPLATES is what
the template list may select.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    select,
)
from sqlalchemy.engine import Connection

from mhg.event_fields import read_off
from mhg.listing import Selection, equals, matching
from mhg.projection import Projection
from mhg.projection_rows import in_turn, insert_row, update_row
from mhg.read_models import aggregate_columns, log_position, required
from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.projections.dated_documents import (
    approved_on,
    lifecycle_columns,
    retired_on,
)
from services.pc_governance.projections.protocols import (
    ALL_SITES,
    FIRST_DRAFT,
    drafted,
    row_position,
    site_strings,
)


def define(metadata: MetaData) -> None:
    Table(
        "pc_visit_templates",
        metadata,
        *aggregate_columns(),
        Column("name", String(200), nullable=False),
        Column("service_line", String(64), nullable=False, index=True),
        Column("site_ids", JSON),
        *required(
            clinician_roles=JSON,
            visit_minutes=Integer,
            max_patients_per_clinician_hour=Integer,
            max_clinician_hours_per_day=Integer,
        ),
        *lifecycle_columns(),
    )
    Table(
        "pc_visit_template_sites",
        metadata,
        Column("template_id", Uuid, primary_key=True),
        Column("site_id", Uuid, primary_key=True, index=True),
        log_position(),
    )


def _terms(terms: dict[str, Any]) -> dict[str, Any]:
    return {**terms, "site_ids": site_strings(terms["site_ids"])}


def projection(metadata: MetaData) -> Projection:
    templates = metadata.tables["pc_visit_templates"]
    sites = metadata.tables["pc_visit_template_sites"]

    def cover_sites(conn: Connection, event: Any, position: int) -> None:
        template_id = event.originator_id
        covered = event.terms["site_ids"] or [ALL_SITES]
        conn.execute(
            sites.insert(),
            [
                {"template_id": template_id, "site_id": site, "position": row_position(position, n)}
                for n, site in enumerate(covered)
            ],
        )

    def show_terms(conn: Connection, event: Any, position: int) -> None:
        update_row(conn, templates, event, **_terms(event.terms))
        conn.execute(delete(sites).where(sites.c.template_id == event.originator_id))
        cover_sites(conn, event, position)

    def created(conn: Connection, event: Any, position: int) -> None:
        insert_row(
            conn,
            templates,
            event,
            position,
            **_terms(event.terms),
            status="draft",
            **read_off(event, FIRST_DRAFT),
        )
        cover_sites(conn, event, position)

    def revised(conn: Connection, event: Any, position: int) -> None:
        standing = conn.execute(
            select(templates.c.standing_version).where(templates.c.id == event.originator_id)
        ).scalar_one()
        if standing is None:
            show_terms(conn, event, position)

    return Projection(
        name="pc_visit_templates",
        tables=[templates, sites],
        handlers={
            VisitTemplate.Created: created,
            VisitTemplate.VersionDrafted: drafted(templates),
            VisitTemplate.DraftRevised: revised,
            VisitTemplate.Approved: in_turn(show_terms, approved_on(templates)),
            VisitTemplate.Retired: retired_on(templates),
        },
    )


def _at_site(table: Table, site_id: UUID) -> ColumnElement[bool]:
    """Templates that apply at the site: named for it, or for every site."""
    sites = table.metadata.tables["pc_visit_template_sites"]
    covering = select(sites.c.template_id).where(sites.c.site_id.in_([site_id, ALL_SITES]))
    return table.c.id.in_(covering)


TEMPLATES = Selection(
    "pc_visit_templates", service_line=equals(), status=equals(), site_id=matching(_at_site)
)
