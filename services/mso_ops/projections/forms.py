"""Forms for lists, the overdue list and the turnaround KPI. No patient data here.

The patient's name, date of birth and contact stay in the aggregate (read one form to
see them); a row carries the site, the requester, the due date and the time of every
step, and the turnaround (request received -> delivered) once the form is delivered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    MetaData,
    String,
    Table,
    Uuid,
    select,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection, update_row
from services.mso_ops.domain import form as status
from services.mso_ops.domain.form import Form


def define(metadata: MetaData) -> None:
    Table(
        "mso_forms",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("service_line", String(64), nullable=False, index=True),
        Column("kind", String(30), nullable=False, index=True),
        Column("requester_kind", String(20), nullable=False, index=True),
        Column("requester_name", String(200), nullable=False),
        Column("appointment_id", Uuid, index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("due_on", Date, nullable=False, index=True),
        Column("received_at", UTCDateTime, nullable=False, index=True),
        Column("prepared_at", UTCDateTime),
        Column("signed_at", UTCDateTime),
        Column("signed_by", Uuid),
        Column("delivered_at", UTCDateTime),
        Column("delivery_method", String(20)),
        Column("cancelled_at", UTCDateTime),
        Column("turnaround_seconds", BigInteger),
        Column("delivered_by_due_date", Boolean),
    )


def projection(metadata: MetaData) -> Projection:
    forms = metadata.tables["mso_forms"]

    def form(conn: Connection, event: Any, **values: Any) -> None:
        update_row(conn, forms, event, **values)

    def requested(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            forms.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                service_line=event.service_line,
                kind=event.kind,
                requester_kind=event.requester_kind,
                requester_name=event.requester_name,
                appointment_id=event.appointment_id,
                status=status.REQUESTED,
                due_on=event.due_on,
                received_at=event.received_at,
            )
        )

    def prepared(conn: Connection, event: Any, _position: int) -> None:
        form(conn, event, status=status.PREPARED, prepared_at=event.at)

    def signed(conn: Connection, event: Any, _position: int) -> None:
        form(
            conn,
            event,
            status=status.SIGNED,
            signed_at=event.signed_at,
            signed_by=event.clinician_id,
        )

    def delivered(conn: Connection, event: Any, _position: int) -> None:
        row = conn.execute(
            select(forms.c.received_at, forms.c.due_on).where(forms.c.id == event.originator_id)
        ).one()
        form(
            conn,
            event,
            status=status.DELIVERED,
            delivered_at=event.at,
            delivery_method=event.method,
            turnaround_seconds=int((event.at - row.received_at).total_seconds()),
            delivered_by_due_date=event.at.date() <= row.due_on,
        )

    def cancelled(conn: Connection, event: Any, _position: int) -> None:
        form(conn, event, status=status.CANCELLED, cancelled_at=event.timestamp)

    return Projection(
        name="mso_forms",
        tables=[forms],
        handlers={
            Form.Requested: requested,
            Form.Prepared: prepared,
            Form.SignatureRecorded: signed,
            Form.Delivered: delivered,
            Form.Cancelled: cancelled,
        },
    )
