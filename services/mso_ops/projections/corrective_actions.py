"""Corrective actions assigned to the MSO, for lists and filters (status, due date)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, ColumnElement, Date, Integer, MetaData, String, Table, and_, not_

from mhg.columns import UTCDateTime
from mhg.listing import Selection, above, below, equals, matching
from mhg.projection import Handler, Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, parts_of, set_on_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.corrective_action import (
    CLOSED,
    IN_PROGRESS,
    NOT_DONE,
    CorrectiveAction,
)
from services.mso_ops.projections.column_groups import row_status, updated_at


def define(metadata: MetaData) -> None:
    Table(
        "mso_corrective_actions",
        metadata,
        *aggregate_columns(),
        Column("title", String(200), nullable=False),
        Column("assignee", String(200)),
        Column("due_on", Date, nullable=False, index=True),
        row_status(),
        Column("source_kind", String(30)),
        Column("source_reference", String(200)),
        *required(assigned_at=UTCDateTime, report_count=Integer, reopen_count=Integer),
        updated_at(),
    )


def _overdue(table: Table, judged: tuple[bool, date]) -> ColumnElement[bool]:
    """Past due on the day given and not completed; asked `False`, the opposite."""
    overdue, today = judged
    late = and_(table.c.due_on < today, table.c.status.in_(sorted(NOT_DONE)))
    return late if overdue else not_(late)


# `overdue` is judged against a day, so it is given with it: `(overdue, today)`.
ACTIONS = Selection(
    "mso_corrective_actions",
    status=equals(),
    due_before=below("due_on"),
    due_after=above("due_on"),
    overdue=matching(_overdue),
)


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["mso_corrective_actions"]

    assigned = insert_on(
        table,
        *("title", "assignee", "due_on", "assigned_at"),
        status="open",
        **parts_of("source", "kind", "reference"),
        report_count=0,
        reopen_count=0,
        updated_at=MOMENT,
    )

    def changed(status: Any, *counted: str) -> Handler:
        """A step: the status it leads to, one more of each count named."""
        counts = {column: table.c[column] + 1 for column in counted}
        return set_on_row(table, status=status, updated_at=MOMENT, **counts)

    return Projection(
        name="mso_corrective_actions",
        tables=[table],
        handlers={
            CorrectiveAction.Assigned: assigned,
            CorrectiveAction.ProgressReported: changed(from_event("status"), "report_count"),
            CorrectiveAction.Verified: changed(CLOSED),
            CorrectiveAction.Reopened: changed(IN_PROGRESS, "reopen_count"),
        },
    )
