"""Material changes proposed at sites, with the PC's answer to each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection, update_row
from services.mso_ops.domain.site_change import SiteChange


def define(metadata: MetaData) -> None:
    Table(
        "mso_site_changes",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("aspect", String(30), nullable=False, index=True),
        Column("proposed", String(2000), nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("requested_at", UTCDateTime, nullable=False, index=True),
        Column("requested_by", String(200), nullable=False),
        Column("authorization_id", Uuid),
        Column("decision_id", Uuid),
        Column("effective_date", Date),
        Column("updated_at", UTCDateTime, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["mso_site_changes"]

    def requested(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            table.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                aspect=event.aspect,
                proposed=event.proposed,
                status="requested",
                requested_at=event.timestamp,
                requested_by=event.meta.actor_id,
                updated_at=event.timestamp,
            )
        )

    def answered(conn: Connection, event: Any, status: str, **values: Any) -> None:
        update_row(
            conn,
            table,
            event,
            status=status,
            decision_id=event.decision_id,
            updated_at=event.timestamp,
            **values,
        )

    def approved(conn: Connection, event: Any, _position: int) -> None:
        answered(
            conn,
            event,
            "approved",
            authorization_id=event.authorization_id,
            effective_date=event.effective_date,
        )

    def withdrawn(conn: Connection, event: Any, _position: int) -> None:
        answered(conn, event, event.outcome, authorization_id=event.authorization_id)

    def reinstated(conn: Connection, event: Any, _position: int) -> None:
        answered(conn, event, "approved")

    return Projection(
        name="mso_site_changes",
        tables=[table],
        handlers={
            SiteChange.Requested: requested,
            SiteChange.Approved: approved,
            SiteChange.Withdrawn: withdrawn,
            SiteChange.Reinstated: reinstated,
        },
    )
