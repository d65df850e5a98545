"""Which slots of a site's service line still have a free place, for the third next available.

The KPI slot rows a booking's measure reads are remembered for the batch (`batch_memo`):
each slot as the feed wrote it, and per site and line its slots in order of start from
some moment on, read from the store a few at a time (`CHUNK`) and kept up to date by
the feed's own writes (a slot opened, taken, released, closed), so that a booking reads
nothing back once its line is known.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, bindparam, select
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo

CHUNK = 16  # slots of a line read at a time: a live batch reads a few, a replay each once


@dataclass
class KpiSlot:
    """A slot's row as the third next available reads it (`taken` and `open` change)."""

    id: UUID
    site_id: UUID
    service_line: str
    start: datetime
    capacity: int
    taken: int
    open: bool

    @property
    def free(self) -> bool:
        return self.open and self.taken < self.capacity


@dataclass
class LineSlots:
    """A line's slots from `since` on, in order of start: every one that starts up to
    `through` is here (None: every one)."""

    since: datetime
    through: datetime | None = None
    slots: list[KpiSlot] = field(default_factory=list)
    ids: set[UUID] = field(default_factory=set)

    def covers(self, start: datetime) -> bool:
        return start >= self.since and (self.through is None or start <= self.through)

    def add(self, slot: KpiSlot) -> None:
        if slot.id not in self.ids:
            self.ids.add(slot.id)
            insort(self.slots, slot, key=_start)


class FreeSlots:
    """The slot rows of the KPI feeds, remembered for the batch."""

    def __init__(self, slots: Table) -> None:
        s = slots.c
        columns = (s.id, s.site_id, s.service_line, s.start, s.capacity, s.taken, s.open)
        self._slot = select(*columns).where(s.id == bindparam("slot"))
        of_line = select(*columns).where(
            s.site_id == bindparam("site"), s.service_line == bindparam("line")
        )
        self._from = of_line.where(s.start >= bindparam("start")).order_by(s.start).limit(CHUNK)
        self._after = of_line.where(s.start > bindparam("start")).order_by(s.start).limit(CHUNK)
        self._at = of_line.where(s.start == bindparam("start"))
        self._lines = (self, "lines")  # the key the lines are remembered under

    def opened(self, conn: Connection, event: Any) -> None:
        """A slot row written: remembered, and in its line's slots if they cover it."""
        slot = KpiSlot(
            event.originator_id,
            event.site_id,
            event.service_line,
            event.start.astimezone(UTC),  # as read back
            event.capacity,
            taken=0,
            open=True,
        )
        batch_memo(conn, self)[slot.id] = slot
        line: LineSlots | None = batch_memo(conn, self._lines).get(_key(slot))
        if line is not None and line.covers(slot.start):
            line.add(slot)

    def slot(self, conn: Connection, slot_id: UUID) -> KpiSlot | None:
        memo = batch_memo(conn, self)
        known: KpiSlot | None = memo.get(slot_id)
        if known is None:
            row = conn.execute(self._slot, {"slot": slot_id}).first()
            if row is not None:
                known = memo[slot_id] = KpiSlot(*row)
        return known

    def known(self, conn: Connection, slot_id: UUID) -> KpiSlot | None:
        """The slot if it is remembered (its row is written whether or not it is)."""
        found: KpiSlot | None = batch_memo(conn, self).get(slot_id)
        return found

    def free_starts(
        self, conn: Connection, site_id: UUID, service_line: str, at: datetime
    ) -> list[datetime]:
        """The starts of the first three slots of the line at or after `at` with a free place."""
        lines = batch_memo(conn, self._lines)
        line: LineSlots | None = lines.get((site_id, service_line))
        if line is None or at < line.since:
            line = lines[site_id, service_line] = LineSlots(at)
            self._read(conn, line, site_id, service_line, self._from, at)
        while True:
            starts: list[datetime] = []
            for slot in line.slots[bisect_left(line.slots, at, key=_start) :]:
                if line.through is not None and slot.start > line.through:
                    break
                if slot.free:
                    starts.append(slot.start)
                    if len(starts) == 3:
                        return starts
            if line.through is None:
                return starts
            self._read(conn, line, site_id, service_line, self._after, line.through)

    def _read(
        self, conn: Connection, line: LineSlots, site_id: UUID, name: str, rows: Any, start: Any
    ) -> None:
        """The next slots of the line (`self._from` or `self._after` the start given), and
        all of those that start when the last read does, so that none is half read."""
        key = {"site": site_id, "line": name}
        found = list(conn.execute(rows, {**key, "start": start}))
        if len(found) == CHUNK:
            last = found[-1].start
            found += conn.execute(self._at, {**key, "start": last})
            line.through = last
        else:
            line.through = None
        memo = batch_memo(conn, self)
        for row in found:
            known = memo.get(row.id)
            if known is None:
                known = memo[row.id] = KpiSlot(*row)
            line.add(known)


def _key(slot: KpiSlot) -> tuple[UUID, str]:
    return slot.site_id, slot.service_line


def _start(slot: KpiSlot) -> datetime:
    return slot.start
