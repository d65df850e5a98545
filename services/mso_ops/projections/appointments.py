"""Appointments for lists and filters. No patient data: that is read from the aggregate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Uuid, bindparam, update
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Handler, Projection
from services.mso_ops.domain.appointment import Appointment


def define(metadata: MetaData) -> None:
    Table(
        "mso_appointments",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("service_line", String(64), nullable=False, index=True),
        Column("start", UTCDateTime, nullable=False, index=True),
        Column("minutes", Integer, nullable=False),
        Column("status", String(30), nullable=False, index=True),
        Column("authorization_id", Uuid, nullable=False),
        Column("decision_id", Uuid, nullable=False),
        Column("booked_at", UTCDateTime, nullable=False),
        Column("booked_by", String(300), nullable=False, index=True),
    )


def projection(metadata: MetaData) -> Projection:
    """Statements built once and run with each event's values (SQLAlchemy's compiled cache)."""
    table = metadata.tables["mso_appointments"]
    add = table.insert()
    by_id = update(table).where(table.c.id == bindparam("b_id"))

    def booked(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            add,
            {
                "id": event.originator_id,
                "position": position,
                "site_id": event.site_id,
                "service_line": event.service_line,
                "start": event.start,
                "minutes": event.minutes,
                "status": "booked",
                "authorization_id": event.authorization_id,
                "decision_id": event.decision_id,
                "booked_at": event.timestamp,
                "booked_by": f"{event.meta.actor_org}:{event.meta.actor_id}",
            },
        )

    def cancelled(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(by_id, {"b_id": event.originator_id, "status": "cancelled"})

    def outcome(status: str) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            conn.execute(by_id, {"b_id": event.originator_id, "status": status})

        return handle

    def rescheduled(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(
            by_id,
            {
                "b_id": event.originator_id,
                "start": event.start,
                "minutes": event.minutes,
                "authorization_id": event.authorization_id,
                "decision_id": event.decision_id,
            },
        )

    return Projection(
        name="mso_appointments",
        tables=[table],
        handlers={
            Appointment.Booked: booked,
            Appointment.Cancelled: cancelled,
            Appointment.Fulfilled: outcome("fulfilled"),
            Appointment.NoShow: outcome("no_show"),
            Appointment.Arrived: outcome("arrived"),
            Appointment.EnteredInError: outcome("entered_in_error"),
            Appointment.Rescheduled: rescheduled,
        },
    )
