"""Sites and the service lines proposed at them, with their authorization status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid, update
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site


def define(metadata: MetaData) -> None:
    Table(
        "mso_sites",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("name", String(200), nullable=False),
        Column("kind", String(20), nullable=False),
        Column("address", String(500), nullable=False),
        Column("status", String(30), nullable=False, index=True),
        Column("proposed_at", UTCDateTime, nullable=False),
    )
    Table(
        "mso_service_lines",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("code", String(64), nullable=False, index=True),
        Column("status", String(30), nullable=False, index=True),
        Column("request_id", Uuid),
        Column("authorization_id", Uuid),
        Column("decision_id", Uuid),
        Column("effective_date", Date),
        Column("updated_at", UTCDateTime, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    sites = metadata.tables["mso_sites"]
    lines = metadata.tables["mso_service_lines"]

    def site_proposed(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            sites.insert().values(
                id=event.originator_id,
                position=position,
                name=event.name,
                kind=event.kind,
                address=event.address,
                status="proposed",
                proposed_at=event.timestamp,
            )
        )

    def line_proposed(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            lines.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                code=event.code,
                status="proposed",
                updated_at=event.timestamp,
            )
        )

    def line_requested(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            update(lines)
            .where(lines.c.id == event.originator_id)
            .values(
                status="authorization_requested",
                request_id=event.request_id,
                authorization_id=None,
                decision_id=None,
                effective_date=None,
                updated_at=event.timestamp,
            )
        )

    def line_approved(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            update(lines)
            .where(lines.c.id == event.originator_id)
            .values(
                status="authorized",
                authorization_id=event.authorization_id,
                decision_id=event.decision_id,
                effective_date=event.effective_date,
                updated_at=event.timestamp,
            )
        )

    def line_withdrawn(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            update(lines)
            .where(lines.c.id == event.originator_id)
            .values(
                status=event.outcome,
                authorization_id=event.authorization_id,
                decision_id=event.decision_id,
                updated_at=event.timestamp,
            )
        )

    def line_reinstated(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            update(lines)
            .where(lines.c.id == event.originator_id)
            .values(status="authorized", decision_id=event.decision_id, updated_at=event.timestamp)
        )

    return Projection(
        name="mso_sites",
        tables=[sites, lines],
        handlers={
            Site.Proposed: site_proposed,  # type: ignore[attr-defined]
            ServiceLine.Proposed: line_proposed,  # type: ignore[attr-defined]
            ServiceLine.AuthorizationRequested: line_requested,  # type: ignore[attr-defined]
            ServiceLine.AuthorizationApproved: line_approved,  # type: ignore[attr-defined]
            ServiceLine.AuthorizationWithdrawn: line_withdrawn,  # type: ignore[attr-defined]
            ServiceLine.AuthorizationReinstated: line_reinstated,  # type: ignore[attr-defined]
        },
    )
