"""KPI feeds from slots: bookings in them and the site's downtime windows over them.

- third next available: when a booking takes a place in a slot (its request, at the
  time the slot records), from then to the start of the third slot of the same site and
  service line that still had a free place (holds aside), in the month of the request;
- site reliability: each published slot's minutes are scheduled open minutes of the site
  in the month it starts on the site's clock (kept with the slot: a later zone does not
  move it), and open minutes except those inside an ended downtime window of the site (a slot closed by a schedule exception is no longer scheduled); a
  site's overlapping slots (several service lines) each count, so minutes are slot-minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, Table, bindparam, select, update
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.facility import MAX_DOWNTIME, DowntimeWindow
from services.mso_ops.domain.kpis import minutes_down, third_next_available_seconds
from services.mso_ops.domain.slot import Slot
from services.mso_ops.projections.kpi_facts import SITE_WIDE
from services.mso_ops.projections.kpi_free_slots import FreeSlots
from services.mso_ops.projections.kpi_inputs import KpiInputs
from services.mso_ops.projections.kpi_operations import Handlers

Window = tuple[datetime, datetime]
MAX_SLOT = timedelta(minutes=480)  # the longest slot a schedule makes (domain/schedule_fit.py)


def site_reliability(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    slots, downtime = metadata.tables["mso_kpi_slots"], metadata.tables["mso_kpi_downtime"]
    windows = SiteDowntime(downtime)
    new_slot = slots.insert()  # built once, run with each slot's values

    def down(conn: Connection, site_id: UUID, start: datetime, minutes: int) -> int:
        end, since = start + timedelta(minutes=minutes), start - MAX_DOWNTIME
        overlapping = [
            (w_start, w_end)
            for w_start, w_end in windows.of_site(conn, site_id, since)
            if since < w_start < end and w_end > start
        ]
        return minutes_down(start, end, overlapping)

    def opened(conn: Connection, event: Any, _position: int) -> None:
        lost = down(conn, event.site_id, event.start, event.minutes)
        month = inputs.month_at(conn, event.site_id, event.start)
        row = {
            "id": event.originator_id,
            "site_id": event.site_id,
            "service_line": event.service_line,
            "start": event.start,
            "minutes": event.minutes,
            "down_minutes": lost,
            "capacity": event.capacity,
            "taken": 0,
            "open": True,
            "month": month,
        }
        conn.execute(new_slot, row)
        place = (event.site_id, SITE_WIDE, month)
        inputs.add_count(conn, c.SCHEDULED_OPEN_MINUTES, place, event.minutes)
        inputs.add_count(conn, c.ACTUAL_OPEN_MINUTES, place, event.minutes - lost)

    def closed(conn: Connection, event: Any, _position: int) -> None:
        slot = conn.execute(
            select(slots).where(slots.c.id == event.originator_id, slots.c.open)
        ).first()
        if slot is None:  # pragma: no cover - a slot closes once, after it opened
            return
        conn.execute(update(slots).where(slots.c.id == slot.id).values(open=False))
        key = (slot.site_id, SITE_WIDE, slot.month)
        inputs.add_count(conn, c.SCHEDULED_OPEN_MINUTES, key, -slot.minutes)
        inputs.add_count(conn, c.ACTUAL_OPEN_MINUTES, key, slot.down_minutes - slot.minutes)

    def recount(conn: Connection, site_id: UUID, start: datetime, end: datetime) -> None:
        """Count again the downtime of the site's open slots that overlap [start, end)."""
        s = slots.c
        touched = conn.execute(
            select(s.id, s.start, s.minutes, s.down_minutes, s.month).where(
                s.site_id == site_id, s.open, s.start < end, s.start > start - MAX_SLOT
            )
        ).all()
        for slot in touched:
            lost = down(conn, site_id, slot.start, slot.minutes)
            if lost != slot.down_minutes:
                conn.execute(update(slots).where(s.id == slot.id).values(down_minutes=lost))
                place = (site_id, SITE_WIDE, slot.month)
                inputs.add_count(conn, c.ACTUAL_OPEN_MINUTES, place, slot.down_minutes - lost)

    def ended_window(
        conn: Connection, window_id: UUID, site_id: UUID, start: Any, end: Any
    ) -> None:
        conn.execute(downtime.insert().values(id=window_id, site_id=site_id, start=start, end=end))
        windows.added(conn, window_id, site_id, start, end)
        recount(conn, site_id, start, end)

    def recorded(conn: Connection, event: Any, _position: int) -> None:
        if event.end is None:
            # remembered with its start, so that its end can be counted
            inputs.register_subject(
                conn,
                event.originator_id,
                event.site_id,
                SITE_WIDE,
                inputs.month_at(conn, event.site_id, event.start),
                event.start,
            )
            return
        ended_window(conn, event.originator_id, event.site_id, event.start, event.end)

    def ended(conn: Connection, event: Any, _position: int) -> None:
        window = inputs.subject(conn, event.originator_id)
        if window is None or window.started_at is None:  # pragma: no cover - always recorded
            return
        ended_window(conn, window.id, window.site_id, window.started_at, event.end)

    def withdrawn(conn: Connection, event: Any, _position: int) -> None:
        window = conn.execute(select(downtime).where(downtime.c.id == event.originator_id)).first()
        if window is None:  # an open window counted nothing yet
            return
        conn.execute(downtime.delete().where(downtime.c.id == window.id))
        windows.removed(conn, window.id, window.site_id)
        recount(conn, window.site_id, window.start, window.end)

    return {
        Slot.Opened: opened,
        Slot.Closed: closed,
        DowntimeWindow.Recorded: recorded,
        DowntimeWindow.Ended: ended,
        DowntimeWindow.Withdrawn: withdrawn,
    }


def third_next_available(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    """Bookings in slots; the slots' rows are written by `site_reliability` (which runs
    first on an opened or closed slot), and remembered here (`FreeSlots`)."""
    slots = metadata.tables["mso_kpi_slots"]
    free = FreeSlots(slots)
    slot_by_id = update(slots).where(slots.c.id == bindparam("b_id"))
    one_more = slot_by_id.values(taken=slots.c.taken + 1)
    one_less = slot_by_id.values(taken=slots.c.taken - 1)

    def opened(conn: Connection, event: Any, _position: int) -> None:
        free.opened(conn, event)

    def closed(conn: Connection, event: Any, _position: int) -> None:
        known = free.known(conn, event.originator_id)
        if known is not None:
            known.open = False

    def taken(conn: Connection, event: Any, _position: int) -> None:
        """A booking request at `at`: the third next slot of its line with a free place then."""
        booked = free.slot(conn, event.originator_id)
        if booked is None:  # pragma: no cover - a slot is taken after it opened
            return
        starts = free.free_starts(conn, booked.site_id, booked.service_line, event.at)
        seconds = third_next_available_seconds(event.at, starts)
        if seconds is not None:
            inputs.record_duration(
                conn,
                c.THIRD_NEXT_AVAILABLE,
                event.appointment_id,
                booked.site_id,
                booked.service_line,
                event.at,
                seconds,
            )
        conn.execute(one_more, {"b_id": event.originator_id})
        booked.taken += 1

    def released(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(one_less, {"b_id": event.originator_id})
        known = free.known(conn, event.originator_id)
        if known is not None:
            known.taken -= 1

    return {Slot.Opened: opened, Slot.Closed: closed, Slot.Taken: taken, Slot.Released: released}


class SiteDowntime:
    """A site's ended downtime windows that start after some moment, remembered for the
    batch (`batch_memo`) and kept up to date by the feed that writes them: a slot opened
    reads them once a batch, not once a slot."""

    def __init__(self, downtime: Table) -> None:
        d = downtime.c
        self._since = select(d.id, d.start, d.end).where(
            d.site_id == bindparam("site"), d.start > bindparam("since")
        )

    def of_site(
        self, conn: Connection, site_id: UUID, since: datetime
    ) -> Iterable[tuple[datetime, datetime]]:
        """Windows of the site (at least those that start after `since`)."""
        memo = batch_memo(conn, self)
        known: tuple[datetime, dict[UUID, Window]] | None = memo.get(site_id)
        if known is None or since < known[0]:
            rows = conn.execute(self._since, {"site": site_id, "since": since})
            known = memo[site_id] = (since, {row.id: (row.start, row.end) for row in rows})
        return known[1].values()

    def added(
        self, conn: Connection, window_id: UUID, site_id: UUID, start: datetime, end: datetime
    ) -> None:
        known: tuple[datetime, dict[UUID, Window]] | None = batch_memo(conn, self).get(site_id)
        if known is not None and start > known[0]:
            known[1][window_id] = (start, end)

    def removed(self, conn: Connection, window_id: UUID, site_id: UUID) -> None:
        known: tuple[datetime, dict[UUID, Window]] | None = batch_memo(conn, self).get(site_id)
        if known is not None:
            known[1].pop(window_id, None)
