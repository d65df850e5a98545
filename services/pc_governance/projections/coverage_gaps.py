"""Coverage gaps of the MSO's clinical shifts, as the MSO reported them: one row a shift.

Each `shift.coverage-judged` message the PC receives sets the shift's row to the latest
judgement: open while it has shortfalls, closed when it has none. The agenda's
`coverage_gap` source lists the open gaps of shifts in the month before the meeting's
reference day or after it, one item per shift.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    select,
    update,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals
from mhg.projection import Projection
from mhg.projection_rows import copied, insert_row
from mhg.read_models import aggregate_columns, required, required_indexed
from services.pc_governance.domain.coverage_gap import ReportedCoverage

LOOK_BACK = timedelta(days=31)  # gaps of shifts since the month before the meeting


def define(metadata: MetaData) -> None:
    Table(
        "pc_coverage_gaps",
        metadata,
        *aggregate_columns(),
        Column("shift_id", Uuid, nullable=False, unique=True),
        *required_indexed(site_id=Uuid, day=Date),
        *required(start=UTCDateTime, end=UTCDateTime),
        Column("label", String(200)),
        *required(shortfalls=JSON, reasons=String(500)),
        Column("open", Boolean, nullable=False, index=True),
        Column("judged_at", UTCDateTime, nullable=False),
    )


def _reasons(shortfalls: list[dict[str, Any]]) -> str:
    return ", ".join(sorted({s["reason"] for s in shortfalls}))


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_coverage_gaps"]
    of_record = update(table).where(table.c.id == bindparam("b_id"))

    def reported(conn: Connection, event: Any, position: int) -> None:
        """The shift's row set to the latest judgement (made by its first)."""
        judgement = {
            **copied(event, "shift_id", "site_id", "day", "start", "end", "label"),
            **copied(event, "shortfalls", "judged_at"),
            "reasons": ", ".join(sorted({s["reason"] for s in event.shortfalls})),
            "open": bool(event.shortfalls),
        }
        if conn.execute(of_record, {"b_id": event.originator_id, **judgement}).rowcount == 0:
            insert_row(conn, table, event, position, **judgement)

    return Projection(
        name="pc_coverage_gaps",
        tables=[table],
        handlers={ReportedCoverage.Reported: reported},
    )


COVERAGE_GAPS = Selection("pc_coverage_gaps", open=equals(), site=equals("site_id"))


def open_coverage_gaps(conn: Connection, md: MetaData, as_of: date) -> list[tuple[str, str, str]]:
    """Agenda candidates: each shift with an open gap, from a month before `as_of` on."""
    table = md.tables["pc_coverage_gaps"]
    rows = conn.execute(
        select(table)
        .where(table.c.open.is_(True), table.c.day >= as_of - LOOK_BACK)
        .order_by(table.c.day, table.c.position)
    )
    return [
        (
            "coverage_gap",
            str(row.shift_id),
            f"Coverage gap: clinical shift {row.label or row.shift_id} at site {row.site_id} "
            f"on {row.day} ({row.start:%H:%M}-{row.end:%H:%M} UTC): {row.reasons}",
        )
        for row in rows
    ]
