"""A slot's capacity under any interleaving of holds, bookings, cancellations and expiries.

Several clients each load the slot, decide on their own copy, and save whenever the
state machine chooses; the log accepts a save only if no other save came between the
load and the save (optimistic concurrency, as the event store does it). Time moves on
between steps, so holds run out. Whatever the order, the slot never holds more
bookings, nor bookings plus running holds, than it has places, and every refusal
or acceptance is the one an independent count of free places calls for.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.availability import Occurrence
from services.mso_ops.domain.scheduling_errors import (
    HoldExpired,
    HoldNotActive,
    HoldNotFound,
    SlotEnded,
    SlotFull,
)
from services.mso_ops.domain.slot import ACTIVE, Slot

START = datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
CLIENTS = st.integers(0, 3)
HOLDERS = ("vendor:acme", "vendor:other")


def meta() -> Meta:
    return Meta("acme", "vendor", "vendor", uuid.uuid4().hex, "corr", "cause")


def free_places(slot: Slot, at: datetime) -> int:
    """Places minus bookings minus holds still running: counted here, not by the slot."""
    running = [h for h in slot.holds.values() if h.status == ACTIVE and h.expires_at > at]
    return slot.capacity - len(slot.appointments) - len(running)


class SlotUnderContention(RuleBasedStateMachine):
    @initialize(capacity=st.integers(1, 4))
    def open(self, capacity: int) -> None:
        opened = Slot.open(
            schedule_id=uuid.uuid4(),
            site_id=uuid.uuid4(),
            service_line="sports_clearance",
            occurrence=Occurrence(date(2027, 1, 5), START, 20, capacity),
            meta=meta(),
        )
        self.log: list[Any] = list(opened.collect_events())
        self.now = START - timedelta(hours=2)
        self.copies: dict[int, Slot] = {}
        self.accepted = self.rejected = 0

    def current(self) -> Slot:
        slot: Any = None
        for e in self.log:
            slot = e.mutate(slot)
        assert isinstance(slot, Slot)
        return slot

    def copy_of(self, client: int) -> Slot:
        if client not in self.copies:
            self.copies[client] = self.current()
        return self.copies[client]

    @rule(client=CLIENTS)
    def load(self, client: int) -> None:
        self.copies[client] = self.current()

    @rule(seconds=st.integers(1, 400))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    def decide(self, slot: Slot, act: Any, expected: type[DomainError] | None) -> None:
        version = slot.version
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert expected is not None, f"refused with {refused!r}; the count allows it"
            assert type(refused) is expected, f"refused with {refused!r}; expected {expected}"
            assert slot.version == version, "a refusal records nothing"
            return
        assert expected is None, f"accepted; expected {expected}"
        assert slot.version == version + 1

    def _bookable(self, slot: Slot) -> type[DomainError] | None:
        if self.now >= slot.end:
            return SlotEnded
        return None if free_places(slot, self.now) > 0 else SlotFull

    @rule(client=CLIENTS, holder=st.sampled_from(HOLDERS), seconds=st.integers(30, 600))
    def hold(self, client: int, holder: str, seconds: int) -> None:
        slot = self.copy_of(client)
        self.decide(
            slot,
            lambda: slot.hold(
                hold_id=uuid.uuid4(), holder=holder, seconds=seconds, at=self.now, meta=meta()
            ),
            self._bookable(slot),
        )

    @rule(client=CLIENTS)
    def book(self, client: int) -> None:
        slot = self.copy_of(client)
        self.decide(
            slot,
            lambda: slot.take(
                appointment_id=uuid.uuid4(),
                hold_id=None,
                holder=HOLDERS[0],
                at=self.now,
                meta=meta(),
            ),
            self._bookable(slot),
        )

    @rule(client=CLIENTS, pick=st.integers(0, 20), holder=st.sampled_from(HOLDERS))
    def book_with_hold(self, client: int, pick: int, holder: str) -> None:
        slot = self.copy_of(client)
        holds = list(slot.holds.values())
        if not holds:
            return
        chosen = holds[pick % len(holds)]
        expected: type[DomainError] | None = None
        if self.now >= slot.end:
            expected = SlotEnded
        elif chosen.holder != holder:
            expected = HoldNotFound
        elif chosen.status != ACTIVE:
            expected = HoldNotActive
        elif chosen.expires_at <= self.now:
            expected = HoldExpired
        self.decide(
            slot,
            lambda: slot.take(
                appointment_id=uuid.uuid4(),
                hold_id=chosen.hold_id,
                holder=holder,
                at=self.now,
                meta=meta(),
            ),
            expected,
        )

    @rule(client=CLIENTS, pick=st.integers(0, 20))
    def cancel(self, client: int, pick: int) -> None:
        slot = self.copy_of(client)
        if not slot.appointments:
            return
        appointment_id = slot.appointments[pick % len(slot.appointments)]
        slot.release(appointment_id=appointment_id, reason="cancelled", meta=meta())

    @rule(client=CLIENTS)
    def save(self, client: int) -> None:
        slot = self.copies.pop(client, None)
        if slot is None:
            return
        pending = list(slot.collect_events())
        if not pending:
            return
        if pending[0].originator_version == len(self.log) + 1:
            self.log.extend(pending)
            self.accepted += 1
        else:  # another save came between this client's load and its save
            self.rejected += 1

    @invariant()
    def capacity_is_never_exceeded(self) -> None:
        slot = self.current()
        assert len(set(slot.appointments)) == len(slot.appointments)
        assert len(slot.appointments) <= slot.capacity
        assert free_places(slot, self.now) >= 0
        assert slot.available_at(self.now) == free_places(slot, self.now)


SlotUnderContention.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
TestSlotUnderContention = SlotUnderContention.TestCase
