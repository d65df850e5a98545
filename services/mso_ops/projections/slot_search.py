"""Whether a slot's places can be taken now, as the booking rules decide it.

A hold or a booking needs a live site (not before go-live, not while held, not once
closed) and a PC authorization of the slot's service line in force on the slot's day
(`SlotCommands.authorization_at`). A slot refused on those grounds is never listed as
`free`: it is `unavailable`, with the problem type a hold or booking would get.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, exists, or_, select
from sqlalchemy.engine import Connection

from services.mso_ops.domain import site as site_states
from services.mso_ops.domain.service_line import AUTHORIZED

SITE_REFUSALS = {
    site_states.CLOSED: "site-closed",
    site_states.SUSPENDED: "site-not-operating",
}
LINE_REFUSED = "service-line-not-authorized"


def bookable(slots: Table, sites: Table, lines: Table) -> ColumnElement[bool]:
    """SQL: the slot's site is live and its line authorized from the slot's day on."""
    site_live = exists().where(sites.c.id == slots.c.site_id, sites.c.status == site_states.LIVE)
    line_in_force = exists().where(
        lines.c.site_id == slots.c.site_id,
        lines.c.code == slots.c.service_line,
        lines.c.status == AUTHORIZED,
        lines.c.authorization_id.is_not(None),
        or_(lines.c.effective_date.is_(None), lines.c.effective_date <= slots.c.day),
    )
    return and_(site_live, line_in_force)


def refusal(site_status: str | None, line: Any | None, day: date) -> str | None:
    """The problem type a hold or booking in the slot gets now (None: none)."""
    if site_status != site_states.LIVE:
        return SITE_REFUSALS.get(site_status or "", "site-not-live")
    if line is None or line.status != AUTHORIZED or line.authorization_id is None:
        return LINE_REFUSED
    if line.effective_date is not None and day < line.effective_date:
        return LINE_REFUSED
    return None


def refusals(
    conn: Connection, sites: Table, lines: Table, rows: Iterable[Any]
) -> dict[UUID, str | None]:
    """Per slot row (id, site_id, service_line, day): why it cannot be taken, if it cannot."""
    rows = list(rows)
    site_ids = {row["site_id"] for row in rows}
    if not site_ids:
        return {}
    statuses = {
        site_id: status
        for site_id, status in conn.execute(
            select(sites.c.id, sites.c.status).where(sites.c.id.in_(site_ids))
        )
    }
    found = conn.execute(
        select(
            lines.c.site_id,
            lines.c.code,
            lines.c.status,
            lines.c.authorization_id,
            lines.c.effective_date,
        ).where(lines.c.site_id.in_(site_ids))
    ).all()
    by_line = {(line.site_id, line.code): line for line in found}
    return {
        row["id"]: refusal(
            statuses.get(row["site_id"]),
            by_line.get((row["site_id"], row["service_line"])),
            row["day"],
        )
        for row in rows
    }
