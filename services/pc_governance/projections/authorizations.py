"""Authorization requests and decisions, for the PC's work list and filters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection, update_row
from services.pc_governance.domain.authorization import Authorization


def define(metadata: MetaData) -> None:
    Table(
        "pc_authorizations",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("request_id", Uuid, nullable=False, unique=True),
        Column("kind", String(30), nullable=False),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("site_name", String(200), nullable=False),
        Column("service_line", String(64), index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("requested_at", UTCDateTime, nullable=False),
        Column("effective_date", Date),
        Column("last_decision_id", Uuid),
        Column("last_decided_at", UTCDateTime),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_authorizations"]

    def requested(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            table.insert().values(
                id=event.originator_id,
                position=position,
                request_id=event.request_id,
                kind=event.kind,
                site_id=event.site_id,
                site_name=event.site_name,
                service_line=event.service_line,
                status="pending",
                requested_at=event.requested_at,
            )
        )

    def decided(status: str, *, sets_effective_date: bool = False) -> Any:
        """A decision moves the status; an approval also sets the date it takes effect."""

        def handler(conn: Connection, event: Any, _position: int) -> None:
            values: dict[str, Any] = {
                "status": status,
                "last_decision_id": event.decision_id,
                "last_decided_at": event.decided_at,
            }
            if sets_effective_date:
                values["effective_date"] = event.effective_date
            update_row(conn, table, event, **values)

        return handler

    return Projection(
        name="pc_authorizations",
        tables=[table],
        handlers={
            Authorization.Requested: requested,
            Authorization.Approved: decided("approved", sets_effective_date=True),
            Authorization.Denied: decided("denied"),
            Authorization.Suspended: decided("suspended"),
            Authorization.Revoked: decided("revoked"),
            Authorization.Reinstated: decided("approved"),
        },
    )
