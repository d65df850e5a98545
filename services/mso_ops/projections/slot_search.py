"""Finding slots: which a search selects, how many places each has now, and why a slot's
places cannot be taken now, as the booking rules decide it.

A hold or a booking needs a live site (not before go-live, not while held, not once
closed) and a PC authorization of the slot's service line in force on the slot's day
(`SlotCommands.authorization_at`). A slot over a clinical shift at its site that has a
coverage gap (the shift lacks the supervision or eligibility the PC requires; see
`projections/coverage.py`) takes none either (`shift-not-covered`, `ShiftCoverage`). A
slot refused on those grounds is never `free`: it is `unavailable`, with the problem type
a hold or booking would get.

A search is the hot path of booking: its statement is built once for each shape (which
filters are given, which status is asked for) and run with the request's values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    MetaData,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from mhg.listing import Selection, at_least, below, equals, matching
from mhg.pagination import decode_cursor, encode_cursor
from mhg.readstore import ReadStore
from services.mso_ops.domain import site as site_states
from services.mso_ops.domain.service_line import AUTHORIZED
from services.mso_ops.domain.slot import ACTIVE, CLOSED, OPEN

SITE_REFUSALS = {
    site_states.CLOSED: "site-closed",
    site_states.SUSPENDED: "site-not-operating",
}
LINE_REFUSED = "service-line-not-authorized"
SHIFT_NOT_COVERED = "shift-not-covered"

# What a slot search's plain parameters mean (its `status` is worked out: see SlotSearch);
# `within_sites` keeps a vendor's search to its sites.
SLOTS = Selection(
    "mso_slots",
    site=equals("site_id"),
    service_line=equals(),
    start=at_least(),
    end=below("start"),
    schedule=equals("schedule_id"),
    within_sites=matching(lambda slots, sites: slots.c.site_id.in_(sites)),
)
LISTS = ("within_sites",)  # the filters given a list of values


def over_gap(slots: Table, gaps: Table) -> ColumnElement[bool]:
    """SQL: a clinical shift at the slot's site with a coverage gap overlaps the slot."""
    return exists().where(
        gaps.c.site_id == slots.c.site_id,
        gaps.c.start < slots.c.ends_at,
        gaps.c.end > slots.c.start,
    )


def bookable(slots: Table, sites: Table, lines: Table, gaps: Table) -> ColumnElement[bool]:
    """SQL: the slot's site is live, its line authorized from the slot's day on, and no
    clinical shift over it has a coverage gap."""
    site_live = exists().where(sites.c.id == slots.c.site_id, sites.c.status == site_states.LIVE)
    line_in_force = exists().where(
        lines.c.site_id == slots.c.site_id,
        lines.c.code == slots.c.service_line,
        lines.c.status == AUTHORIZED,
        lines.c.authorization_id.is_not(None),
        or_(lines.c.effective_date.is_(None), lines.c.effective_date <= slots.c.day),
    )
    return and_(site_live, line_in_force, ~over_gap(slots, gaps))


def refusal(site_status: str | None, line: Any | None, day: date) -> str | None:
    """The problem type a hold or booking in the slot gets now (None: none)."""
    if site_status != site_states.LIVE:
        return SITE_REFUSALS.get(site_status or "", "site-not-live")
    if line is None or line.status != AUTHORIZED or line.authorization_id is None:
        return LINE_REFUSED
    if line.effective_date is not None and day < line.effective_date:
        return LINE_REFUSED
    return None


class SlotSearch:
    """The statements of a slot search over the tables of one `MetaData`, each built once."""

    def __init__(self, metadata: MetaData) -> None:
        tables = metadata.tables
        self.slots = slots = tables["mso_slots"]
        self.sites = sites = tables["mso_sites"]
        self.lines = lines = tables["mso_service_lines"]
        self.gaps = gaps = tables["mso_coverage_gaps"]
        holds = tables["mso_slot_holds"]
        # The holds still running at the request's moment: what a slot shows, and what
        # its free or busy status reads.
        self.running_holds = (
            select(func.count())
            .select_from(holds)
            .where(
                holds.c.slot_id == slots.c.id,
                holds.c.status == ACTIVE,
                holds.c.expires_at > bindparam("b_at"),
            )
            .scalar_subquery()
        )
        of_sites: BindParameter[Any] = bindparam("b_site_ids", expanding=True)
        self.site_statuses = select(sites.c.id, sites.c.status).where(sites.c.id.in_(of_sites))
        self.site_lines = select(
            lines.c.site_id,
            lines.c.code,
            lines.c.status,
            lines.c.authorization_id,
            lines.c.effective_date,
        ).where(lines.c.site_id.in_(of_sites))
        # The coverage gaps of the shifts over a page's slots (by site and time window).
        self.site_gaps = select(gaps.c.site_id, gaps.c.start, gaps.c.end).where(
            gaps.c.site_id.in_(of_sites),
            gaps.c.start < bindparam("b_until"),
            gaps.c.end > bindparam("b_from"),
        )
        self.gap_over = (
            select(gaps)
            .where(
                gaps.c.site_id == bindparam("b_site_id"),
                gaps.c.start < bindparam("b_until"),
                gaps.c.end > bindparam("b_from"),
            )
            .order_by(gaps.c.start, gaps.c.position)
            .limit(1)
        )
        self.statements: dict[tuple[str | None, frozenset[str]], Select[Any]] = {}

    def statement(self, status: str | None, given: frozenset[str]) -> Select[Any]:
        """A page of the slots passing the `given` filters and in `status`, with their
        running holds (`held`); run with `b_<filter>`, `b_at`, `b_after` and `b_limit`."""
        shape = (status, given)
        found = self.statements.get(shape)
        if found is None:
            slots = self.slots
            values: dict[str, BindParameter[Any]] = {
                name: bindparam(f"b_{name}", expanding=name in LISTS) for name in given
            }
            found = (
                select(slots, self.running_holds.label("held"))
                .where(
                    slots.c.position > bindparam("b_after"),
                    *SLOTS.where(slots, values),
                    *self.in_status(status),
                )
                .order_by(slots.c.position)
                .limit(bindparam("b_limit"))
            )
            self.statements[shape] = found
        return found

    def in_status(self, status: str | None) -> list[ColumnElement[bool]]:
        """`closed` when a closure took it; `unavailable` while open but not bookable;
        `free` while a place is left (places minus bookings minus running holds)."""
        slots = self.slots
        if status is None:
            return []
        if status == "closed":
            return [slots.c.status == CLOSED]
        can_book = bookable(slots, self.sites, self.lines, self.gaps)
        if status == "unavailable":
            return [slots.c.status == OPEN, ~can_book]
        free = slots.c.capacity - slots.c.booked - self.running_holds
        return [slots.c.status == OPEN, can_book, free > 0 if status == "free" else free <= 0]

    def refusals(self, conn: Connection, rows: Iterable[Any]) -> dict[UUID, str | None]:
        """Per slot row (id, site_id, service_line, day, start, ends_at): why it cannot be
        taken, if it cannot."""
        rows = list(rows)
        site_ids = list({row["site_id"] for row in rows})
        if not site_ids:
            return {}
        found_sites = conn.execute(self.site_statuses, {"b_site_ids": site_ids})
        statuses = {site_id: status for site_id, status in found_sites}
        found = conn.execute(self.site_lines, {"b_site_ids": site_ids}).all()
        by_line = {(line.site_id, line.code): line for line in found}
        window = {
            "b_site_ids": site_ids,
            "b_from": min(row["start"] for row in rows),
            "b_until": max(row["ends_at"] for row in rows),
        }
        gaps = conn.execute(self.site_gaps, window).all()
        return {
            row["id"]: refusal(
                statuses.get(row["site_id"]),
                by_line.get((row["site_id"], row["service_line"])),
                row["day"],
            )
            or _uncovered(row, gaps)
            for row in rows
        }


def _uncovered(row: Any, gaps: Iterable[Any]) -> str | None:
    over = any(
        gap.site_id == row["site_id"] and gap.start < row["ends_at"] and gap.end > row["start"]
        for gap in gaps
    )
    return SHIFT_NOT_COVERED if over else None


def gap_over(store: ReadStore, site_id: UUID, start: datetime, end: datetime) -> Any | None:
    """The coverage gap of a clinical shift at the site overlapping [start, end), the
    earliest (None: every clinical shift there is covered, or there is none)."""
    search = slot_search(store.metadata)
    values = {"b_site_id": site_id, "b_from": start, "b_until": end}
    with store.reader.connect() as conn:
        return conn.execute(search.gap_over, values).first()


@cache
def slot_search(metadata: MetaData) -> SlotSearch:
    """The slot search over a process's tables (one `MetaData` a process: read_models)."""
    return SlotSearch(metadata)


def find_slots(
    store: ReadStore,
    *,
    at: datetime,
    status: str | None,
    cursor: str | None,
    limit: int,
    **filters: Any,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of slots as of `at`, in publication order, and the next cursor. Each row
    also has `held` (its holds running at `at`) and `refused` (why no place can be taken
    now, or None). On one connection for the page and what it shows."""
    search = slot_search(store.metadata)
    given = {name: value for name, value in filters.items() if value is not None}
    statement = search.statement(status, frozenset(given))
    values = {f"b_{name}": value for name, value in given.items()}
    values.update(b_at=at, b_after=decode_cursor(cursor), b_limit=limit + 1)
    with store.reader.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(statement, values)]
        more = len(rows) > limit
        rows = rows[:limit]
        refused = search.refusals(conn, rows)
    for row in rows:
        row["refused"] = refused.get(row["id"])
    next_cursor = encode_cursor(rows[-1]["position"]) if more and rows else None
    return rows, next_cursor
