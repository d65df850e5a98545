"""Schedules, their slots and the holds on them, for finding and listing.

A slot row counts its bookings; its holds are rows of their own, each with its expiry,
so that a query at any moment counts only the holds still running then (an expired
hold frees its place without any event saying so).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid, bindparam, update
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, copied, from_event, insert_on, insert_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.slot import ACTIVE, CLOSED, OPEN, RELEASED, USED, Slot
from services.mso_ops.projections.column_groups import name, row_status, site_and_line, updated_at

SCHEDULE_TERMS = (  # as a schedule's creation states them
    "template_label",
    "clinicians",
    "timezone",
    "slot_minutes",
    "capacity",
    "starts_on",
    "ends_on",
)

SCHEDULES = Selection("mso_schedules", site=equals("site_id"), service_line=equals())


def define(metadata: MetaData) -> None:
    Table(
        "mso_schedules",
        metadata,
        *aggregate_columns(),
        *site_and_line(),
        name(),
        Column("template_id", Uuid, index=True),
        Column("template_version", Integer),
        Column("template_label", String(200)),
        *required(
            clinicians=Integer,
            timezone=String(64),
            slot_minutes=Integer,
            capacity=Integer,
            starts_on=Date,
        ),
        Column("ends_on", Date),
        Column("published_through", Date),
        Column("created_at", UTCDateTime, nullable=False),
        updated_at(),
    )
    Table(
        "mso_slots",
        metadata,
        *aggregate_columns(),
        Column("schedule_id", Uuid, nullable=False, index=True),
        *site_and_line(),
        Column("day", Date, nullable=False),
        Column("start", UTCDateTime, nullable=False, index=True),
        *required(ends_at=UTCDateTime, minutes=Integer, capacity=Integer, booked=Integer),
        row_status(),
    )
    Table(
        "mso_slot_holds",
        metadata,
        *aggregate_columns(),
        Column("slot_id", Uuid, nullable=False, index=True),
        *required(expires_at=UTCDateTime, status=String(20)),
    )


def projection(metadata: MetaData) -> Projection:
    schedules = metadata.tables["mso_schedules"]
    slots = metadata.tables["mso_slots"]
    holds = metadata.tables["mso_slot_holds"]
    # Built once, run with each event's values (SQLAlchemy's compiled cache; a replay
    # queues them): slots and their holds are most of a scheduling log.
    schedule_by_id = update(schedules).where(schedules.c.id == bindparam("b_id"))
    slot_by_id = update(slots).where(slots.c.id == bindparam("b_id"))
    hold_by_id = update(holds).where(holds.c.id == bindparam("b_id"))
    one_more = slot_by_id.values(booked=slots.c.booked + 1)
    one_less = slot_by_id.values(booked=slots.c.booked - 1)
    new_hold = holds.insert()

    created = insert_on(
        schedules,
        *("site_id", "service_line", "name", "template_id", *SCHEDULE_TERMS),
        template_version=from_event("applied_template", _version),
        created_at=MOMENT,
        updated_at=MOMENT,
    )

    def changed(conn: Connection, event: Any, _position: int) -> None:
        values: dict[str, Any] = {"b_id": event.originator_id, "updated_at": event.timestamp}
        if hasattr(event, "through"):
            values["published_through"] = event.through
        if getattr(event, "applied_template", None) is not None:
            values["template_version"] = _version(event.applied_template)
        conn.execute(schedule_by_id, values)

    def opened(conn: Connection, event: Any, position: int) -> None:
        insert_row(
            conn,
            slots,
            event,
            position,
            **copied(event, "schedule_id", "site_id", "service_line", "day", "start"),
            ends_at=event.start + timedelta(minutes=event.minutes),
            **copied(event, "minutes", "capacity"),
            booked=0,
            status=OPEN,
        )

    def held(conn: Connection, event: Any, position: int) -> None:
        hold = {"id": event.hold_id, "position": position, "slot_id": event.originator_id}
        conn.execute(new_hold, {**hold, "expires_at": event.expires_at, "status": ACTIVE})

    def hold_released(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(hold_by_id, {"b_id": event.hold_id, "status": RELEASED})

    def taken(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(one_more, {"b_id": event.originator_id})
        if event.hold_id is not None:
            conn.execute(hold_by_id, {"b_id": event.hold_id, "status": USED})

    def released(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(one_less, {"b_id": event.originator_id})

    def closed(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(slot_by_id, {"b_id": event.originator_id, "status": CLOSED})

    return Projection(
        name="mso_scheduling",
        tables=[schedules, slots, holds],
        handlers={
            Schedule.Created: created,
            Schedule.WeeklyRulesReplaced: changed,
            Schedule.SlotsPublished: changed,
            Schedule.ClosureAdded: changed,
            Schedule.ExtraSessionAdded: changed,
            Slot.Opened: opened,
            Slot.Held: held,
            Slot.HoldReleased: hold_released,
            Slot.Taken: taken,
            Slot.Released: released,
            Slot.Closed: closed,
        },
    )


def _version(applied: dict[str, Any] | None) -> int | None:
    return None if applied is None else int(applied["version"])
