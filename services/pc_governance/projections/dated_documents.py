"""The row of a PC document whose versions take effect on a day (a visit template, a
clinical policy): its status, latest version, standing version and that version's days.

Each document's module declares its own table and handlers; these are the columns and
the row updates an approval and a retirement make alike in both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table

from mhg.columns import UTCDateTime
from mhg.projection import Handler
from mhg.projection_rows import from_event, in_turn, set_on_row
from mhg.read_models import required
from services.pc_governance.projections.protocols import latest_retired


def versioned_columns(*in_force: Column[Any]) -> list[Column[Any]]:
    """A versioned document's row, as `FIRST_DRAFT` starts it: its status, its latest version
    and that version's status, what of it is in force (`in_force`), who made it and when."""
    return [
        Column("status", String(20), nullable=False, index=True),
        *required(latest_version=Integer, latest_status=String(20)),
        *in_force,
        *required(created_at=UTCDateTime, created_by=String(200)),
    ]


def lifecycle_columns() -> list[Column[Any]]:
    """The standing version and its days."""
    return versioned_columns(
        Column("standing_version", Integer),
        Column("effective_from", Date),
        Column("ended_on", Date),
    )


def approved_on(document: Table) -> Handler:
    """The approved version is the standing one, and the latest (a draft is never later)."""
    return set_on_row(
        document,
        status="approved",
        latest_status="approved",
        standing_version=from_event("number"),
        effective_from=from_event("effective_from"),
    )


def retired_on(document: Table) -> Handler:
    """Nothing stands after the retirement's day."""
    ended = set_on_row(
        document, status="retired", standing_version=None, ended_on=from_event("ended_on")
    )
    return in_turn(ended, latest_retired(document))
