"""KPI feeds from the other MSO capabilities: forms, specimens, claims, readiness, slots.

- form turnaround: a form's request received -> delivered, in the month delivered;
- results cycle: a specimen collected -> its result released, in the month released;
- clean-claim and initial-denial rates and amounts: each claim's first payer response
  and first adjudication (paid or denied), counted once, in the month it was submitted;
- expansion readiness: a site's checklist items met (of all items), and whether the PC
  approved its go-live, as a level from the month of each change;
- third next available: when a booking takes a place in a slot (its request, at the
  time the slot records), from then to the start of the third slot of the same site and
  service line that still had a free place (holds aside), in the month of the request;
- site reliability: each published slot's minutes are scheduled open minutes of the site
  in the (UTC) month it starts, and open minutes except those inside an ended downtime
  window of the site (a slot closed by a schedule exception is no longer scheduled); a
  site's overlapping slots (several service lines) each count, so minutes are slot-minutes;
- days in A/R: a site's open receivables as a level: a claim's billed amount from the
  month it was submitted until the month it was paid, whatever the order events arrive in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, bindparam, func, select, update
from sqlalchemy.engine import Connection

from mhg.projection import Handler
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.facility import MAX_DOWNTIME, DowntimeWindow
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.kpis import (
    elapsed_seconds,
    minutes_down,
    third_next_available_seconds,
)
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS
from services.mso_ops.domain.slot import Slot
from services.mso_ops.domain.specimen import Specimen
from services.mso_ops.projections.kpi_facts import SITE_WIDE, month_of
from services.mso_ops.projections.kpi_inputs import KpiInputs

Handlers = dict[type[Any], Handler]
MAX_SLOT = timedelta(minutes=480)  # the longest slot a schedule makes (domain/schedule.py)


def combined(*feeds: Handlers) -> Handlers:
    """Feeds together; where two handle one event, each runs, in the order given."""
    handlers: dict[type[Any], list[Handler]] = {}
    for feed in feeds:
        for topic, handler in feed.items():
            handlers.setdefault(topic, []).append(handler)

    def chain(steps: list[Handler]) -> Handler:
        if len(steps) == 1:
            return steps[0]

        def handle(conn: Connection, event: Any, position: int) -> None:
            for step in steps:
                step(conn, event, position)

        return handle

    return {topic: chain(steps) for topic, steps in handlers.items()}


def _started(inputs: KpiInputs, started: str) -> Handler:
    def handle(conn: Connection, event: Any, _position: int) -> None:
        at = getattr(event, started)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month_of(at), at
        )

    return handle


def _ended(inputs: KpiInputs, fact: str) -> Handler:
    def handle(conn: Connection, event: Any, _position: int) -> None:
        subject = inputs.subject(conn, event.originator_id)
        if subject is None or subject.started_at is None:  # pragma: no cover - always started
            return
        seconds = elapsed_seconds(subject.started_at, event.at)
        inputs.record_duration(
            conn, fact, subject.id, subject.site_id, subject.service_line, event.at, seconds
        )

    return handle


def forms(inputs: KpiInputs) -> Handlers:
    return {
        Form.Requested: _started(inputs, "received_at"),
        Form.Delivered: _ended(inputs, c.FORM_TURNAROUND),
    }


def specimens(inputs: KpiInputs) -> Handlers:
    return {
        Specimen.PickupLogged: _started(inputs, "collected_at"),
        Specimen.ResultReleased: _ended(inputs, c.RESULTS_CYCLE),
    }


def claims(inputs: KpiInputs) -> Handlers:
    def submitted(conn: Connection, event: Any, _position: int) -> None:
        cents = int(event.billed_amount * 100)
        month = month_of(event.submitted_on)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month, cents=cents
        )
        inputs.add_count(
            conn, c.CHARGES_BILLED_CENTS, event.site_id, event.service_line, month, cents
        )

    def answered(*, denied: bool, adjudication: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            claim = inputs.subject(conn, event.originator_id)
            if claim is None:  # pragma: no cover - every answer follows its submission
                return
            if inputs.mark(conn, claim, "responded"):
                inputs.add_count(conn, c.CLAIMS_RESPONDED, *claim.key)
                if not denied:
                    inputs.add_count(conn, c.CLAIMS_CLEAN, *claim.key)
            if adjudication and inputs.mark(conn, claim, "adjudicated"):
                inputs.add_count(conn, c.CLAIMS_ADJUDICATED, *claim.key)
                if denied:
                    inputs.add_count(conn, c.CLAIMS_INITIALLY_DENIED, *claim.key)
                    inputs.add_count(
                        conn, c.CLAIMS_INITIALLY_DENIED_CENTS, *claim.key, claim.cents or 0
                    )

        return handle

    return {
        Claim.Submitted: submitted,
        Claim.Accepted: answered(denied=False, adjudication=False),
        Claim.Paid: answered(denied=False, adjudication=True),
        Claim.Denied: answered(denied=True, adjudication=True),
    }


def site_readiness(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    checklist = metadata.tables["mso_kpi_checklist"]

    def level(conn: Connection, site_id: Any, month: Any, approved: bool | None) -> None:
        met = conn.execute(
            select(func.count()).where(checklist.c.site_id == site_id, checklist.c.met)
        ).scalar_one()
        if approved is None:
            before = inputs.latest_level(conn, c.READINESS_CHECKLIST, site_id, SITE_WIDE, month)
            approved = bool(before and before[2])
        inputs.record_level(
            conn,
            c.READINESS_CHECKLIST,
            site_id,
            SITE_WIDE,
            month,
            met,
            len(CHECKLIST_ITEMS),
            approved,
        )

    def evidence(conn: Connection, event: Any, _position: int) -> None:
        key = (checklist.c.site_id == event.originator_id, checklist.c.item == event.item)
        conn.execute(checklist.delete().where(*key))
        conn.execute(
            checklist.insert().values(site_id=event.originator_id, item=event.item, met=event.met)
        )
        level(conn, event.originator_id, month_of(event.recorded_at), None)

    def decided(approved: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            level(conn, event.originator_id, month_of(event.timestamp), approved)

        return handle

    return {
        Site.ChecklistEvidenceRecorded: evidence,
        Site.GoLiveApproved: decided(True),
        Site.GoLiveDenied: decided(False),
    }


def site_reliability(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    slots, downtime = metadata.tables["mso_kpi_slots"], metadata.tables["mso_kpi_downtime"]
    d = downtime.c
    overlapping = select(d.start, d.end).where(  # built once: every slot opened runs it
        d.site_id == bindparam("site"),
        d.start < bindparam("end"),
        d.start > bindparam("since"),
        d.end > bindparam("start"),
    )

    def down(conn: Connection, site_id: UUID, start: datetime, minutes: int) -> int:
        end = start + timedelta(minutes=minutes)
        windows = conn.execute(
            overlapping,
            {"site": site_id, "end": end, "since": start - MAX_DOWNTIME, "start": start},
        )
        return minutes_down(start, end, [(row.start, row.end) for row in windows])

    def opened(conn: Connection, event: Any, _position: int) -> None:
        lost = down(conn, event.site_id, event.start, event.minutes)
        conn.execute(
            slots.insert().values(
                id=event.originator_id,
                site_id=event.site_id,
                service_line=event.service_line,
                start=event.start,
                minutes=event.minutes,
                down_minutes=lost,
                capacity=event.capacity,
                taken=0,
                open=True,
            )
        )
        month = month_of(event.start)
        inputs.add_count(
            conn, c.SCHEDULED_OPEN_MINUTES, event.site_id, SITE_WIDE, month, event.minutes
        )
        inputs.add_count(
            conn, c.ACTUAL_OPEN_MINUTES, event.site_id, SITE_WIDE, month, event.minutes - lost
        )

    def closed(conn: Connection, event: Any, _position: int) -> None:
        slot = conn.execute(
            select(slots).where(slots.c.id == event.originator_id, slots.c.open)
        ).first()
        if slot is None:  # pragma: no cover - a slot closes once, after it opened
            return
        conn.execute(update(slots).where(slots.c.id == slot.id).values(open=False))
        key = (slot.site_id, SITE_WIDE, month_of(slot.start))
        inputs.add_count(conn, c.SCHEDULED_OPEN_MINUTES, *key, -slot.minutes)
        inputs.add_count(conn, c.ACTUAL_OPEN_MINUTES, *key, slot.down_minutes - slot.minutes)

    def recount(conn: Connection, site_id: UUID, start: datetime, end: datetime) -> None:
        """Count again the downtime of the site's open slots that overlap [start, end)."""
        s = slots.c
        touched = conn.execute(
            select(s.id, s.start, s.minutes, s.down_minutes).where(
                s.site_id == site_id, s.open, s.start < end, s.start > start - MAX_SLOT
            )
        ).all()
        for slot in touched:
            lost = down(conn, site_id, slot.start, slot.minutes)
            if lost != slot.down_minutes:
                conn.execute(update(slots).where(s.id == slot.id).values(down_minutes=lost))
                month = month_of(slot.start)
                inputs.add_count(
                    conn, c.ACTUAL_OPEN_MINUTES, site_id, SITE_WIDE, month, slot.down_minutes - lost
                )

    def ended_window(
        conn: Connection, window_id: UUID, site_id: UUID, start: Any, end: Any
    ) -> None:
        conn.execute(downtime.insert().values(id=window_id, site_id=site_id, start=start, end=end))
        recount(conn, site_id, start, end)

    def recorded(conn: Connection, event: Any, _position: int) -> None:
        if event.end is None:
            # remembered with its start, so that its end can be counted
            inputs.register_subject(
                conn,
                event.originator_id,
                event.site_id,
                SITE_WIDE,
                month_of(event.start),
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
        recount(conn, window.site_id, window.start, window.end)

    return {
        Slot.Opened: opened,
        Slot.Closed: closed,
        DowntimeWindow.Recorded: recorded,
        DowntimeWindow.Ended: ended,
        DowntimeWindow.Withdrawn: withdrawn,
    }


def receivables(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    levels = metadata.tables["mso_kpi_levels"]

    def change(conn: Connection, site_id: UUID, on: Any, cents: int) -> None:
        """The site's open receivables change by `cents` from the month of `on` on."""
        month = month_of(on)
        before = inputs.latest_level(conn, c.AR_BALANCE_CENTS, site_id, SITE_WIDE, month)
        balance = (before[0] if before else 0) + cents
        inputs.record_level(conn, c.AR_BALANCE_CENTS, site_id, SITE_WIDE, month, balance)
        v = levels.c
        conn.execute(  # later months (an event dated earlier than others recorded before it)
            update(levels)
            .where(
                v.fact == c.AR_BALANCE_CENTS,
                v.site_id == site_id,
                v.service_line == SITE_WIDE,
                v.month > month,
            )
            .values(numerator=v.numerator + cents)
        )

    def submitted(conn: Connection, event: Any, _position: int) -> None:
        change(conn, event.site_id, event.submitted_on, int(event.billed_amount * 100))

    def paid(conn: Connection, event: Any, _position: int) -> None:
        claim = inputs.subject(conn, event.originator_id)
        if claim is None:  # pragma: no cover - every payment follows its submission
            return
        change(conn, claim.site_id, event.on, -(claim.cents or 0))

    return {
        Claim.Submitted: submitted,
        Claim.Paid: paid,
    }


def third_next_available(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    """Bookings in slots; the slots themselves are kept by `site_reliability`."""
    slots = metadata.tables["mso_kpi_slots"]
    s = slots.c
    # Built once, run with each event's values: every booking in a slot runs them.
    line_of = select(s.site_id, s.service_line).where(s.id == bindparam("slot"))
    next_free = (
        select(s.start)
        .where(
            s.site_id == bindparam("site"),
            s.service_line == bindparam("line"),
            s.start >= bindparam("at"),
            s.open,
            s.taken < s.capacity,
        )
        .order_by(s.start)
        .limit(3)
    )
    slot_by_id = update(slots).where(s.id == bindparam("b_id"))
    one_more, one_less = slot_by_id.values(taken=s.taken + 1), slot_by_id.values(taken=s.taken - 1)

    def taken(conn: Connection, event: Any, _position: int) -> None:
        """A booking request at `at`: the third next slot of its line with a free place then."""
        booked = conn.execute(line_of, {"slot": event.originator_id}).first()
        if booked is None:  # pragma: no cover - a slot is taken after it opened
            return
        free = conn.execute(
            next_free, {"site": booked.site_id, "line": booked.service_line, "at": event.at}
        )
        seconds = third_next_available_seconds(event.at, [row.start for row in free])
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

    def released(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(one_less, {"b_id": event.originator_id})

    return {
        Slot.Taken: taken,
        Slot.Released: released,
    }
