"""The row of a PC document whose versions take effect on a day (a visit template, a
clinical policy): its status, latest version, standing version and that version's days.

Each document's module declares its own table and handlers; these are the columns and
the row updates an approval and a retirement make alike in both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection_rows import update_row
from services.pc_governance.projections.protocols import retire_latest


def lifecycle_columns() -> list[Column[Any]]:
    return [
        Column("status", String(20), nullable=False, index=True),
        Column("latest_version", Integer, nullable=False),
        Column("latest_status", String(20), nullable=False),
        Column("standing_version", Integer),
        Column("effective_from", Date),
        Column("ended_on", Date),
        Column("created_at", UTCDateTime, nullable=False),
        Column("created_by", String(200), nullable=False),
    ]


def show_approved(conn: Connection, document: Table, event: Any) -> None:
    """The approved version is the standing one, and the latest (a draft is never later)."""
    update_row(
        conn,
        document,
        event,
        status="approved",
        latest_status="approved",
        standing_version=event.number,
        effective_from=event.effective_from,
    )


def show_retired(conn: Connection, document: Table, event: Any) -> None:
    """Nothing stands after the retirement's day."""
    update_row(
        conn, document, event, status="retired", standing_version=None, ended_on=event.ended_on
    )
    retire_latest(conn, document, event)
