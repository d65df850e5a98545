"""Corrective actions assigned to the MSO, for lists and filters (status, due date)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Handler, Projection, update_row
from services.mso_ops.domain.corrective_action import CLOSED, IN_PROGRESS, CorrectiveAction


def define(metadata: MetaData) -> None:
    Table(
        "mso_corrective_actions",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("title", String(200), nullable=False),
        Column("assignee", String(200)),
        Column("due_on", Date, nullable=False, index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("source_kind", String(30)),
        Column("source_reference", String(200)),
        Column("assigned_at", UTCDateTime, nullable=False),
        Column("report_count", Integer, nullable=False),
        Column("reopen_count", Integer, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["mso_corrective_actions"]

    def assigned(conn: Connection, event: Any, position: int) -> None:
        source = event.source or {}
        conn.execute(
            table.insert().values(
                id=event.originator_id,
                position=position,
                title=event.title,
                assignee=event.assignee,
                due_on=event.due_on,
                status="open",
                source_kind=source.get("kind"),
                source_reference=source.get("reference"),
                assigned_at=event.assigned_at,
                report_count=0,
                reopen_count=0,
                updated_at=event.timestamp,
            )
        )

    def changed(status: Callable[[Any], str], **counters: int) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            values: dict[str, Any] = {"status": status(event), "updated_at": event.timestamp}
            for column, step in counters.items():
                values[column] = table.c[column] + step
            update_row(conn, table, event, **values)

        return handle

    return Projection(
        name="mso_corrective_actions",
        tables=[table],
        handlers={
            CorrectiveAction.Assigned: assigned,
            CorrectiveAction.ProgressReported: changed(lambda e: e.status, report_count=1),
            CorrectiveAction.Verified: changed(lambda _e: CLOSED),
            CorrectiveAction.Reopened: changed(lambda _e: IN_PROGRESS, reopen_count=1),
        },
    )
