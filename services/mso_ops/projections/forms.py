"""Forms for lists, the overdue list and the turnaround KPI. No patient data here.

The patient's name, date of birth and contact stay in the aggregate (read one form to
see them); a row carries the site, the requester, the due date and the time of every
step, and the turnaround (request received -> delivered) once the form is delivered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, below, equal_columns, one_of, span
from mhg.projection import Projection
from mhg.projection_rows import from_event, insert_on, row_of, set_on_row, update_row
from mhg.read_models import aggregate_columns, required_indexed
from services.mso_ops.domain import form as status
from services.mso_ops.domain.form import Form
from services.mso_ops.projections.column_groups import SITE_AND_LINE, row_status, site_and_line


def define(metadata: MetaData) -> None:
    Table(
        "mso_forms",
        metadata,
        *aggregate_columns(),
        *site_and_line(),
        *required_indexed(kind=String(30), requester_kind=String(20)),
        Column("requester_name", String(200), nullable=False),
        Column("appointment_id", Uuid, index=True),
        row_status(),
        *required_indexed(due_on=Date, received_at=UTCDateTime),
        Column("prepared_at", UTCDateTime),
        Column("signed_at", UTCDateTime),
        Column("signed_by", Uuid),
        Column("delivered_at", UTCDateTime),
        Column("delivery_method", String(20)),
        Column("cancelled_at", UTCDateTime),
        Column("turnaround_seconds", BigInteger),
        Column("delivered_by_due_date", Boolean),
    )


FORMS = Selection(
    "mso_forms",
    **SITE_AND_LINE,
    **equal_columns("status", "kind", "requester_kind", "appointment_id"),
    **span("received", "received_at"),
    **span("due", "due_on"),
)

# Forms still open (in one of the statuses given) past a day.
OVERDUE = Selection("mso_forms", status=one_of(), due_before=below("due_on"), **SITE_AND_LINE)


def projection(metadata: MetaData) -> Projection:
    forms = metadata.tables["mso_forms"]

    requested = insert_on(
        forms,
        *("site_id", "service_line", "kind", "requester_kind", "requester_name"),
        *("appointment_id", "due_on", "received_at"),
        status=status.REQUESTED,
    )

    def delivered(conn: Connection, event: Any, _position: int) -> None:
        row = row_of(conn, forms, event, "received_at", "due_on")
        update_row(
            conn,
            forms,
            event,
            status=status.DELIVERED,
            delivered_at=event.at,
            delivery_method=event.method,
            turnaround_seconds=int((event.at - row.received_at).total_seconds()),
            delivered_by_due_date=event.at.date() <= row.due_on,
        )

    return Projection(
        name="mso_forms",
        tables=[forms],
        handlers={
            Form.Requested: requested,
            Form.Prepared: set_on_row(forms, status=status.PREPARED, prepared_at=from_event("at")),
            Form.SignatureRecorded: set_on_row(
                forms,
                status=status.SIGNED,
                signed_at=from_event("signed_at"),
                signed_by=from_event("clinician_id"),
            ),
            Form.Delivered: delivered,
            Form.Cancelled: set_on_row(
                forms, status=status.CANCELLED, cancelled_at=from_event("timestamp")
            ),
        },
    )
