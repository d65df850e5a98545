"""The PC's audit-readiness figure per month, as received through its feed (newest revision).

The monthly performance report reads it (kpi_readings.py): every site's
`audit_readiness` KPI of a month is the PC's figure for that month, the organisation's
one figure, and stays null until the PC has published one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, Date, Integer, MetaData, Table, select
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection
from mhg.projection_rows import from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.kpi_report import Level
from services.mso_ops.domain.pc_audit_readiness import PcAuditReadiness

FIGURE = ("revision", "as_of", "required", "current", "categories", "published_at")


def define(metadata: MetaData) -> None:
    Table(
        "mso_pc_audit_readiness",
        metadata,
        *aggregate_columns(),
        Column("month", Date, nullable=False, unique=True),
        *required(
            revision=Integer,
            as_of=Date,
            required=Integer,
            current=Integer,
            categories=JSON,
            published_at=UTCDateTime,
        ),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["mso_pc_audit_readiness"]
    revised = set_on_row(table, **{name: from_event(name) for name in FIGURE})
    return Projection(
        name="mso_pc_audit_readiness",
        tables=[table],
        handlers={
            PcAuditReadiness.Received: insert_on(table, "month", *FIGURE),
            PcAuditReadiness.Revised: revised,
        },
    )


def month_figure(conn: Connection, metadata: MetaData, month: date) -> Level | None:
    """The PC's figure for the month as a level (current of required), if one arrived."""
    table = metadata.tables["mso_pc_audit_readiness"]
    row = conn.execute(
        select(table.c.current, table.c.required).where(table.c.month == month)
    ).first()
    return None if row is None else Level(row.current, row.required)
