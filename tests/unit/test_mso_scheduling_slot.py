"""A slot: places, holds that run out, bookings, releases and closure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from mhg.errors import Conflict, NotFound, RuleViolation
from mhg.meta import Meta
from services.mso_ops.domain.availability import Occurrence
from services.mso_ops.domain.scheduling_errors import (
    AlreadyInSlot,
    HoldExpired,
    HoldNotActive,
    HoldNotFound,
    InvalidHold,
    NotInSlot,
    SlotClosed,
    SlotEnded,
    SlotFull,
    SlotsHaveBookings,
)
from services.mso_ops.domain.slot import CLOSED, RELEASED, USED, Slot

START = datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
BEFORE = START - timedelta(days=1)
ACME, OTHER = "vendor:acme", "vendor:other"


def meta() -> Meta:
    return Meta("acme", "vendor", "vendor", uuid.uuid4().hex, "corr", "cause")


def a_slot(capacity: int = 2) -> Slot:
    return Slot.open(
        schedule_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        service_line="sports_clearance",
        occurrence=Occurrence(date(2027, 1, 5), START, 20, capacity),
        meta=meta(),
    )


def take(
    slot: Slot, hold_id: uuid.UUID | None = None, at: datetime = BEFORE, who: str = ACME
) -> uuid.UUID:
    appointment_id = uuid.uuid4()
    slot.take(appointment_id=appointment_id, hold_id=hold_id, holder=who, at=at, meta=meta())
    return appointment_id


def hold(slot: Slot, at: datetime = BEFORE, seconds: int = 300, who: str = ACME) -> uuid.UUID:
    hold_id = uuid.uuid4()
    slot.hold(hold_id=hold_id, holder=who, seconds=seconds, at=at, meta=meta())
    return hold_id


def test_the_slot_id_is_fixed_by_schedule_and_start() -> None:
    schedule_id = uuid.uuid4()
    same = START.astimezone(UTC).replace(tzinfo=UTC)
    assert Slot.create_id(schedule_id, START) == Slot.create_id(schedule_id, same)
    assert Slot.create_id(schedule_id, START) != Slot.create_id(uuid.uuid4(), START)
    slot = a_slot()
    assert (slot.end, slot.day, slot.available_at(BEFORE)) == (
        START + timedelta(minutes=20),
        date(2027, 1, 5),
        2,
    )


def test_bookings_fill_the_places_and_then_the_slot_is_full() -> None:
    slot = a_slot(2)
    take(slot)
    take(slot)
    with pytest.raises(SlotFull) as caught:
        take(slot)
    assert isinstance(caught.value, Conflict)
    assert caught.value.code == "slot-full"
    assert len(slot.appointments) == 2


def test_a_running_hold_takes_a_place_until_it_expires() -> None:
    slot = a_slot(1)
    hold_id = hold(slot, seconds=60)
    with pytest.raises(SlotFull):
        take(slot, who=OTHER)
    with pytest.raises(SlotFull):
        hold(slot, who=OTHER)
    assert slot.held_at(BEFORE + timedelta(seconds=59)) == 1
    expired = BEFORE + timedelta(seconds=60)
    assert slot.available_at(expired) == 1
    take(slot, at=expired, who=OTHER)
    with pytest.raises(HoldExpired):
        take(slot, hold_id=hold_id, at=expired)


def test_booking_with_a_hold_uses_it_once_and_only_for_its_holder() -> None:
    slot = a_slot(1)
    hold_id = hold(slot)
    with pytest.raises(HoldNotFound) as caught:
        take(slot, hold_id=hold_id, who=OTHER)
    assert isinstance(caught.value, NotFound)
    with pytest.raises(HoldNotFound):
        take(slot, hold_id=uuid.uuid4())
    take(slot, hold_id=hold_id)
    assert slot.holds[hold_id].status == USED
    assert slot.available_at(BEFORE) == 0
    with pytest.raises(HoldNotActive):
        take(slot, hold_id=hold_id)


def test_a_released_hold_frees_its_place() -> None:
    slot = a_slot(1)
    hold_id = hold(slot)
    with pytest.raises(HoldNotFound):
        slot.release_hold(hold_id=hold_id, holder=OTHER, at=BEFORE, meta=meta())
    slot.release_hold(hold_id=hold_id, holder=ACME, at=BEFORE, meta=meta())
    assert slot.holds[hold_id].status == RELEASED
    assert slot.available_at(BEFORE) == 1
    with pytest.raises(HoldNotActive):
        slot.release_hold(hold_id=hold_id, holder=ACME, at=BEFORE, meta=meta())


@pytest.mark.parametrize("seconds", [0, 29, 1801])
def test_a_hold_lasts_30_seconds_to_30_minutes(seconds: int) -> None:
    with pytest.raises(InvalidHold) as caught:
        hold(a_slot(), seconds=seconds)
    assert isinstance(caught.value, RuleViolation)


def test_nothing_is_held_or_booked_once_the_slot_is_over() -> None:
    slot = a_slot()
    during = START + timedelta(minutes=19)
    take(slot, at=during)  # a walk-in while the slot runs
    with pytest.raises(SlotEnded):
        take(slot, at=slot.end)
    with pytest.raises(SlotEnded):
        hold(slot, at=slot.end)


def test_a_release_gives_the_place_back_once() -> None:
    slot = a_slot(1)
    appointment_id = take(slot)
    slot.release(appointment_id=appointment_id, reason="cancelled", meta=meta())
    assert slot.available_at(BEFORE) == 1
    with pytest.raises(NotInSlot):
        slot.release(appointment_id=appointment_id, reason="cancelled", meta=meta())
    with pytest.raises(AlreadyInSlot):
        slot.take(appointment_id=take(slot), hold_id=None, holder=ACME, at=BEFORE, meta=meta())


def test_a_slot_with_bookings_does_not_close_and_a_closed_one_takes_nothing() -> None:
    slot = a_slot()
    appointment_id = take(slot)
    closure = uuid.uuid4()
    with pytest.raises(SlotsHaveBookings) as caught:
        slot.close(closure_id=closure, reason="heat", meta=meta())
    assert caught.value.extensions == {"slot_id": str(slot.id)}
    slot.release(appointment_id=appointment_id, reason="cancelled", meta=meta())
    hold(slot)
    slot.close(closure_id=closure, reason="heat", meta=meta())
    assert slot.status == CLOSED
    version = slot.version
    slot.close(closure_id=closure, reason="heat", meta=meta())
    assert slot.version == version, "closing a closed slot changes nothing"
    with pytest.raises(SlotClosed):
        take(slot)
    with pytest.raises(SlotClosed):
        hold(slot)


def test_replaying_the_events_reproduces_the_slot() -> None:
    slot = a_slot(3)
    used = hold(slot)
    take(slot, hold_id=used)
    released = hold(slot)
    slot.release_hold(hold_id=released, holder=ACME, at=BEFORE, meta=meta())
    gone = take(slot)
    slot.release(appointment_id=gone, reason="error", meta=meta())
    rebuilt: Any = None
    for e in slot.collect_events():
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, Slot)
    assert vars(rebuilt) == vars(slot)
