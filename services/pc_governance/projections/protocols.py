"""Protocols for the PC's lists, and each approved version's effectivity period; the
protocol list's selection and the queries on these tables.

`pc_protocol_effectivity` holds one row per version, service line and site (a protocol
for all sites has the ALL_SITES row), so "which version was in effect at site S for
service line L on day D" is one query on one index.

One event writes several rows of the two child tables; each row's `position` is the
event's log position times ROWS_PER_EVENT plus the row's place among them, so rows
stay unique and in log order.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_most, equals, linked
from mhg.projection import Handler, Projection
from mhg.projection_rows import ACTOR, from_event, insert_on, set_on_row, update_row
from mhg.read_models import aggregate_columns, log_position, required
from mhg.readstore import ReadStore
from services.pc_governance.domain.protocol import Protocol

ALL_SITES = UUID(int=0)
ROWS_PER_EVENT = 4096  # > 5 service lines x MAX_SITES


def row_position(position: int, place: int) -> int:
    return position * ROWS_PER_EVENT + place


def drafted(document: Table) -> Handler:
    """A new draft of a versioned document (a protocol, a visit template) is its latest."""
    return set_on_row(document, latest_version=from_event("number"), latest_status="draft")


# A versioned document's row as it is made: version 1 its latest, a draft, by whom and when.
FIRST_DRAFT: dict[str, Any] = {
    "latest_version": 1,
    "latest_status": "draft",
    "created_at": from_event("at"),
    "created_by": ACTOR,
}


def site_strings(site_ids: list[UUID] | None) -> list[str] | None:
    """The sites a document is limited to, as its JSON column keeps them (None: every site)."""
    return None if site_ids is None else [str(s) for s in site_ids]


def latest_retired(document: Table) -> Handler:
    """A retired version shows as the document's latest status while it is the latest."""
    statement = (
        update(document)
        .where(document.c.id == bindparam("b_id"), document.c.latest_version == bindparam("b_n"))
        .values(latest_status="retired")
    )

    def handle(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(statement, {"b_id": event.originator_id, "b_n": event.number})

    return handle


def define(metadata: MetaData) -> None:
    Table(
        "pc_protocols",
        metadata,
        *aggregate_columns(),
        Column("title", String(200), nullable=False),
        Column("type", String(20), nullable=False, index=True),
        Column("service_lines", JSON, nullable=False),
        Column("site_ids", JSON),
        Column("latest_version", Integer, nullable=False),
        Column("latest_status", String(20), nullable=False, index=True),
        Column("standing_version", Integer),
        Column("review_due", Date, index=True),
        *required(created_at=UTCDateTime, created_by=String(200)),
    )
    Table(
        "pc_protocol_service_lines",
        metadata,
        Column("protocol_id", Uuid, primary_key=True),
        Column("service_line", String(64), primary_key=True, index=True),
        log_position(),
    )
    Table(
        "pc_protocol_effectivity",
        metadata,
        Column("protocol_id", Uuid, primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("service_line", String(64), primary_key=True),
        Column("site_id", Uuid, primary_key=True),
        log_position(),
        Column("effective_from", Date, nullable=False),
        Column("ended_on", Date),
        Column("status", String(20), nullable=False),
        Index("ix_pc_protocol_effectivity_lookup", "service_line", "site_id", "effective_from"),
    )


def projection(metadata: MetaData) -> Projection:
    protocols = metadata.tables["pc_protocols"]
    lines = metadata.tables["pc_protocol_service_lines"]
    periods = metadata.tables["pc_protocol_effectivity"]

    def set_period(conn: Connection, protocol_id: UUID, version: int, **values: Any) -> None:
        conn.execute(
            update(periods)
            .where(periods.c.protocol_id == protocol_id, periods.c.version == version)
            .values(**values)
        )

    made = insert_on(
        protocols,
        "title",
        type=from_event("protocol_type"),
        service_lines=from_event("service_lines", list),
        site_ids=from_event("site_ids", site_strings),
        **FIRST_DRAFT,
    )

    def created(conn: Connection, event: Any, position: int) -> None:
        made(conn, event, position)
        conn.execute(
            lines.insert(),
            [
                {
                    "protocol_id": event.originator_id,
                    "service_line": line,
                    "position": row_position(position, place),
                }
                for place, line in enumerate(event.service_lines)
            ],
        )

    def approved(conn: Connection, event: Any, position: int) -> None:
        sites = event.subject["site_ids"] or [ALL_SITES]
        scope = [(line, site) for line in event.subject["service_lines"] for site in sites]
        conn.execute(
            periods.insert(),
            [
                {
                    "protocol_id": event.originator_id,
                    "version": event.number,
                    "service_line": line,
                    "site_id": site,
                    "position": row_position(position, place),
                    "effective_from": event.effective_from,
                    "ended_on": None,
                    "status": "approved",
                }
                for place, (line, site) in enumerate(scope)
            ],
        )
        update_row(
            conn,
            protocols,
            event,
            latest_status="approved",
            standing_version=event.number,
            review_due=event.review_due,
        )

    def superseded(conn: Connection, event: Any, _position: int) -> None:
        set_period(
            conn, event.originator_id, event.number, ended_on=event.ended_on, status="superseded"
        )

    retire_latest = latest_retired(protocols)

    def retired(conn: Connection, event: Any, position: int) -> None:
        set_period(
            conn, event.originator_id, event.number, ended_on=event.ended_on, status="retired"
        )
        retire_latest(conn, event, position)
        conn.execute(
            update(protocols)
            .where(
                protocols.c.id == event.originator_id, protocols.c.standing_version == event.number
            )
            .values(standing_version=None, review_due=None)
        )

    def reinstated(conn: Connection, event: Any, _position: int) -> None:
        set_period(conn, event.originator_id, event.number, ended_on=None, status="approved")
        update_row(
            conn, protocols, event, standing_version=event.number, review_due=event.review_due
        )

    def reviewed(conn: Connection, event: Any, _position: int) -> None:
        update_row(conn, protocols, event, review_due=event.next_review_due)

    return Projection(
        name="pc_protocols",
        tables=[protocols, lines, periods],
        handlers={
            Protocol.Created: created,
            Protocol.VersionDrafted: drafted(protocols),
            Protocol.Approved: approved,
            Protocol.Superseded: superseded,
            Protocol.Retired: retired,
            Protocol.Reinstated: reinstated,
            Protocol.Reviewed: reviewed,
        },
    )


PROTOCOLS = Selection(
    "pc_protocols",
    type=equals(),
    service_line=linked("pc_protocol_service_lines", "protocol_id"),
    status=equals("latest_status"),
    review_due_by=at_most("review_due"),
)


def in_effect(
    store: ReadStore, site_id: UUID, service_line: str, day: date
) -> list[dict[str, Any]]:
    """The version of each protocol in effect at the site (or at every site) for the
    service line on the day, in the protocols' order."""
    periods = store.metadata.tables["pc_protocol_effectivity"]
    protocols = store.metadata.tables["pc_protocols"]
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
    with store.reader.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def titled(store: ReadStore, title: str) -> UUID | None:
    """The protocol with this title (case aside), if exactly one has it."""
    table = store.metadata.tables["pc_protocols"]
    query = select(table.c.id).where(func.lower(table.c.title) == title.lower()).limit(2)
    with store.reader.connect() as conn:
        found = conn.execute(query).scalars().all()
    return found[0] if len(found) == 1 else None
