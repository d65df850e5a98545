"""The PC's visit templates as the MSO has received them: one row each, and every version.

Part of the staffing projection (staffing.py), so that a template's new version or its
retirement re-judges, in the same transaction, the shifts that staff it (coverage.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, Date, Integer, MetaData, String, Table, Uuid, select, update
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals, start_of_day
from mhg.pagination import read_page
from mhg.projection_rows import MOMENT, from_event, set_where
from mhg.read_models import aggregate_columns, in_log_order, log_position, required
from mhg.readstore import ReadStore
from services.mso_ops.domain.visit_template import TemplateHistory
from services.mso_ops.projections.column_groups import name, updated_at

TABLES = ("mso_visit_templates", "mso_visit_template_versions")
Reevaluate = Callable[[Connection, UUID, datetime, datetime], None]
Received = tuple[dict[str, Any], list[dict[str, Any]]]  # a template's row and its versions

VISIT_TEMPLATES = Selection("mso_visit_templates", service_line=equals())


def define(metadata: MetaData) -> None:
    Table(
        "mso_visit_templates",
        metadata,
        *aggregate_columns(),
        name(),
        Column("service_line", String(64), nullable=False, index=True),
        Column("site_ids", JSON),
        Column("current_version", Integer, nullable=False),
        Column("ended_on", Date),
        Column("retirement_reason", String(500)),
        Column("retirement_decision_id", Uuid),
        Column("received_at", UTCDateTime, nullable=False),
        updated_at(),
    )
    Table(
        "mso_visit_template_versions",
        metadata,
        Column("template_id", Uuid, primary_key=True),
        Column("version", Integer, primary_key=True),
        log_position(),
        name(),
        Column("service_line", String(64), nullable=False),
        Column("site_ids", JSON),
        *required(
            clinician_roles=JSON,
            visit_minutes=Integer,
            max_patients_per_clinician_hour=Integer,
            max_clinician_hours_per_day=Integer,
            effective_from=Date,
            decision_id=Uuid,
            basis=JSON,
            approved_at=UTCDateTime,
        ),
    )


def _sites(site_ids: list[UUID] | None) -> list[str] | None:
    return None if site_ids is None else [str(s) for s in site_ids]


class TemplateTables:
    def __init__(self, metadata: MetaData) -> None:
        self.templates = metadata.tables["mso_visit_templates"]
        self.versions = metadata.tables["mso_visit_template_versions"]

    def history(self, conn: Connection, template_id: UUID) -> TemplateHistory:
        ended_on = conn.execute(
            select(self.templates.c.ended_on).where(self.templates.c.id == template_id)
        ).scalar()
        rows = conn.execute(select(self.versions).where(self.versions.c.template_id == template_id))
        versions = [{**row._mapping, "site_ids": _uuids(row.site_ids)} for row in rows]
        return TemplateHistory.of(versions, ended_on)

    def handlers(self, reevaluate: Reevaluate) -> dict[str, Callable[[Connection, Any, int], None]]:
        templates, versions = self.templates, self.versions

        def approved(conn: Connection, event: Any, position: int) -> None:
            facts = event.facts
            conn.execute(
                versions.insert().values(
                    position=position,
                    **{key: facts[key] for key in _VERSION_KEYS},
                    site_ids=_sites(facts["site_ids"]),
                    clinician_roles=list(facts["clinician_roles"]),
                    basis=dict(facts["basis"]),
                )
            )
            row = {
                "name": facts["name"],
                "service_line": facts["service_line"],
                "site_ids": _sites(facts["site_ids"]),
                "updated_at": event.timestamp,
            }
            template_id = facts["template_id"]
            current = conn.execute(
                select(templates.c.current_version).where(templates.c.id == template_id)
            ).scalar()
            if current is None:
                conn.execute(
                    templates.insert().values(
                        id=template_id,
                        position=position,
                        current_version=facts["version"],
                        received_at=event.timestamp,
                        **row,
                    )
                )
            elif facts["version"] > current:
                conn.execute(
                    update(templates)
                    .where(templates.c.id == template_id)
                    .values(current_version=facts["version"], **row)
                )
            reevaluate(conn, template_id, start_of_day(facts["effective_from"]), event.timestamp)

        ended = set_where(
            templates,
            "id",
            "template_id",
            ended_on=from_event("ended_on"),
            retirement_reason=from_event("reason"),
            retirement_decision_id=from_event("decision_id"),
            updated_at=MOMENT,
        )

        def retired(conn: Connection, event: Any, position: int) -> None:
            ended(conn, event, position)
            reevaluate(conn, event.template_id, start_of_day(event.ended_on), event.timestamp)

        return {"approved": approved, "retired": retired}


_VERSION_KEYS = (
    "template_id",
    "version",
    "name",
    "service_line",
    "visit_minutes",
    "max_patients_per_clinician_hour",
    "max_clinician_hours_per_day",
    "effective_from",
    "decision_id",
    "approved_at",
)


def _uuids(site_ids: list[str] | None) -> list[UUID] | None:
    return None if site_ids is None else [UUID(s) for s in site_ids]


def received_page(
    store: ReadStore, cursor: str | None, limit: int, **filters: Any
) -> tuple[list[Received], str | None]:
    """A page of the templates received, in the order received, each with its versions
    (oldest first), and the next cursor."""
    table = store.metadata.tables["mso_visit_templates"]
    with store.reader.connect() as conn:
        rows, next_cursor = read_page(
            conn,
            table,
            cursor=cursor,
            limit=limit,
            filters=VISIT_TEMPLATES.where(table, filters),
        )
        versions = _versions(conn, store.metadata, [row["id"] for row in rows])
    return [(row, versions[row["id"]]) for row in rows], next_cursor


def received(store: ReadStore, template_id: UUID) -> Received | None:
    """One template received, with its versions (oldest first); None if none was."""
    table = store.metadata.tables["mso_visit_templates"]
    with store.reader.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == template_id)).first()
        if row is None:
            return None
        return dict(row._mapping), _versions(conn, store.metadata, [template_id])[template_id]


def _versions(conn: Connection, metadata: MetaData, ids: list[UUID]) -> dict[UUID, list[Any]]:
    table = metadata.tables["mso_visit_template_versions"]
    found: dict[UUID, list[Any]] = {template_id: [] for template_id in ids}
    for row in conn.execute(in_log_order(table).where(table.c.template_id.in_(ids))):
        found[row.template_id].append(dict(row._mapping))
    return found
