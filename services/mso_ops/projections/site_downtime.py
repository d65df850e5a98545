"""Site downtime windows, and the whole minutes each site was down per month.

`mso_site_downtime_monthly` is what the site-reliability KPI reads: minutes from
closed windows, split at month ends in the offset each window was recorded with; a
withdrawn window's minutes are taken back out. A window still open counts once ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, at_most, equals
from mhg.projection import Projection
from mhg.projection_rows import Tally, copied, insert_row, row_of, update_row
from mhg.read_models import aggregate_columns, log_position, required
from services.mso_ops.domain.facility import (
    CLOSED,
    OPEN,
    WITHDRAWN,
    DowntimeWindow,
    minutes_by_month,
)
from services.mso_ops.projections.column_groups import SITE_AND_DAYS, row_status, site_and_day

# A window (92 days at most) spans at most five months; each month row it opens gets a
# position of its own, after the position of the event that opened it.
MONTHS_PER_WINDOW = 8
TABLES = ("mso_downtime_windows", "mso_site_downtime_monthly")


def define(metadata: MetaData) -> None:
    Table(
        "mso_downtime_windows",
        metadata,
        *aggregate_columns(),
        *site_and_day(),
        Column("start", UTCDateTime, nullable=False),
        Column("end", UTCDateTime),
        *required(offset_minutes=Integer, cause=String(500)),
        Column("incident_id", Uuid),
        row_status(),
        Column("minutes", Integer),
    )
    Table(
        "mso_site_downtime_monthly",
        metadata,
        Column("site_id", Uuid, primary_key=True),
        Column("month", String(7), primary_key=True),
        log_position(),
        *required(minutes=Integer, windows=Integer),
    )


DOWNTIME = Selection("mso_downtime_windows", **SITE_AND_DAYS, status=equals())
DOWNTIME_MINUTES = Selection(
    "mso_site_downtime_monthly",
    site=equals("site_id"),
    from_month=at_least("month"),
    to_month=at_most("month"),
)


def projection(metadata: MetaData) -> Projection:
    windows, monthly = (metadata.tables[name] for name in TABLES)
    down = Tally(monthly, key=("site_id", "month"), totals=("minutes", "windows"))

    def count(
        conn: Connection, site_id: UUID, start: datetime, end: datetime, sign: int, position: int
    ) -> int:
        shares = minutes_by_month(start, end)
        for index, (month, minutes) in enumerate(shares.items()):
            down.add(
                conn,
                {"site_id": site_id, "month": month},
                {"minutes": sign * minutes, "windows": sign},
                position=position * MONTHS_PER_WINDOW + index,
            )
        return sum(shares.values())

    def recorded(conn: Connection, event: Any, position: int) -> None:
        total = None
        if event.end is not None:
            total = count(conn, event.site_id, event.start, event.end, +1, position)
        insert_row(
            conn,
            windows,
            event,
            position,
            site_id=event.site_id,
            day=event.start.date(),
            **copied(event, "start", "end"),
            offset_minutes=_offset_minutes(event.start),
            **copied(event, "cause", "incident_id"),
            status=OPEN if event.end is None else CLOSED,
            minutes=total,
        )

    def ended(conn: Connection, event: Any, position: int) -> None:
        window = row_of(conn, windows, event)
        start = _local(window.start, window.offset_minutes)
        total = count(conn, window.site_id, start, event.end, +1, position)
        update_row(conn, windows, event, end=event.end, status=CLOSED, minutes=total)

    def withdrawn(conn: Connection, event: Any, position: int) -> None:
        window = row_of(conn, windows, event)
        if window.status == CLOSED:
            start = _local(window.start, window.offset_minutes)
            count(conn, window.site_id, start, window.end, -1, position)
        update_row(conn, windows, event, status=WITHDRAWN)

    return Projection(
        name="mso_site_downtime",
        tables=[windows, monthly],
        handlers={
            DowntimeWindow.Recorded: recorded,
            DowntimeWindow.Ended: ended,
            DowntimeWindow.Withdrawn: withdrawn,
        },
    )


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _local(moment: datetime, offset_minutes: int) -> datetime:
    """A start read back from a UTC column, in the offset it was recorded with."""
    return moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
