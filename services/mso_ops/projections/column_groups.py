"""Columns that many MSO read models have, in the same order: where a row stands (a site
and one of its service lines, or its day there) and what the PC answered to a request the
row made; and single columns declared alike in many tables (the row's site, status, name,
when it last changed), so that each means one thing with one type wherever it stands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, String, Uuid

from mhg.columns import UTCDateTime
from mhg.listing import Filter, at_least, at_most, equals
from mhg.projection_rows import FromEvent, from_event


def site_id() -> Column[Any]:
    """The site the row is of (indexed: listings filter on it)."""
    return Column("site_id", Uuid, nullable=False, index=True)


def site_and_line() -> tuple[Column[Any], Column[Any]]:
    """The site and service line of the row (both filter lists)."""
    return (
        site_id(),
        Column("service_line", String(64), nullable=False, index=True),
    )


def site_and_day() -> tuple[Column[Any], Column[Any]]:
    """The site of the row and its day there (local to the site): what `SITE_AND_DAYS` filters."""
    return (
        site_id(),
        Column("day", Date, nullable=False, index=True),
    )


def row_status(width: int = 20) -> Column[Any]:
    """Where the row's aggregate stands in its life (indexed: listings filter on it)."""
    return Column("status", String(width), nullable=False, index=True)


def name() -> Column[Any]:
    """What the row's subject is called: a line of text, as the API bounds it (200)."""
    return Column("name", String(200), nullable=False)


def updated_at() -> Column[Any]:
    """When the row last changed: the time of the last event that changed it."""
    return Column("updated_at", UTCDateTime, nullable=False)


def pc_answer() -> tuple[Column[Any], Column[Any], Column[Any]]:
    """The PC's answer to the row's request: its authorization, decision and effective day."""
    return (
        Column("authorization_id", Uuid),
        Column("decision_id", Uuid),
        Column("effective_date", Date),
    )


UNANSWERED: dict[str, Any] = {"authorization_id": None, "decision_id": None, "effective_date": None}
"""A request made again: the PC's earlier answer is no longer the row's."""


def approval() -> dict[str, FromEvent]:
    """The PC's approval as its event tells it, for `set_on_row`."""
    return {column: from_event(column) for column in UNANSWERED}


# Rows of a site whose `day` (local to the offset recorded) is within [from, to], declared
# for a `Selection`: `Selection(table, **SITE_AND_DAYS, status=equals())`.
SITE_AND_DAYS: dict[str, Filter] = {
    "site": equals("site_id"),
    "from_": at_least("day"),
    "to": at_most("day"),
}

# A site and one of its service lines: `Selection(table, **SITE_AND_LINE, status=equals())`.
SITE_AND_LINE: dict[str, Filter] = {"site_id": equals(), "service_line": equals()}
