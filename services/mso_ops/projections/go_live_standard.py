"""The go-live readiness standard a site's readiness is counted against, on the read side.

The sites list (sites.py) and the expansion-readiness KPI (kpi_operations.py) count a
site's items met against the latest go-live standard the PC approved, as received
through its feed (domain/readiness_standard.py), version 0's seven until it approves
one. A retirement changes nothing here: readiness is still counted against the retired
version until a new one arrives. Each projection keeps its own copy (a projection owns
its tables) and recounts its sites when a new version arrives (`recount`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.engine import Connection

from mhg.projection import Handler, batch_memo
from services.mso_ops.domain.readiness_standard import (
    SITE_GO_LIVE,
    SITE_GO_LIVE_V0,
    ChecklistStandard,
    StandardItem,
)
from services.mso_ops.domain.readiness_standard_record import ReceivedStandard

GO_LIVE = ReceivedStandard.create_id(SITE_GO_LIVE, None)


def define(metadata: MetaData, name: str) -> None:
    Table(
        name,
        metadata,
        Column("kind", String(30), primary_key=True),
        Column("version", Integer, nullable=False),
        Column("checklist", JSON, nullable=False),  # each item {key, text, evidence_required}
    )


def counted(conn: Connection, table: Table) -> ChecklistStandard:
    """The standard sites are counted against now (read once a batch)."""
    memo = batch_memo(conn, (table, "standard"))
    if "standard" not in memo:
        row = conn.execute(select(table.c.version, table.c.checklist)).first()
        memo["standard"] = SITE_GO_LIVE_V0 if row is None else _standard(row.version, row.checklist)
    standard: ChecklistStandard = memo["standard"]
    return standard


def items_in_force(table: Table) -> ColumnElement[int]:
    """How many items the standard counted now has, as SQL (version 0's seven until the PC
    approved one), for a handler that must not read in its tick."""
    kept = select(func.json_array_length(table.c.checklist)).scalar_subquery()
    return func.coalesce(kept, len(SITE_GO_LIVE_V0.items))


def _standard(version: int, items: list[dict[str, Any]]) -> ChecklistStandard:
    return ChecklistStandard(
        SITE_GO_LIVE, None, version, None, tuple(StandardItem(**item) for item in items)
    )


def handlers(table: Table, recount: Callable[[Connection, Any], None]) -> dict[type[Any], Handler]:
    """A new go-live version replaces the one kept, then every site is recounted."""

    def approved(conn: Connection, event: Any, _position: int) -> None:
        if event.originator_id != GO_LIVE:
            return  # a service line's standard: not what a site's readiness counts
        version, items = event.facts["version"], [dict(item) for item in event.facts["items"]]
        conn.execute(delete(table))
        conn.execute(table.insert().values(kind=SITE_GO_LIVE, version=version, checklist=items))
        batch_memo(conn, (table, "standard"))["standard"] = _standard(version, items)
        recount(conn, event)

    return {ReceivedStandard.Approved: approved, ReceivedStandard.VersionApproved: approved}
