"""A slot: a time at a site for a service line, with a number of places (its capacity).

Invariant: the appointments in the slot plus the holds still running never exceed its
capacity. Every decision is taken at a time `at` that its event records, so a hold
that has expired stops counting from then on without anything being written, and a
replay of the events decides exactly as the live aggregate did. Two writers deciding
on the same version of a slot cannot both save: the event store accepts one version
once, so the second must load the slot again and decide again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

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

OPEN = "open"
CLOSED = "closed"

ACTIVE = "active"
USED = "used"
RELEASED = "released"

MIN_HOLD_SECONDS = 30
DEFAULT_HOLD_SECONDS = 300
MAX_HOLD_SECONDS = 1800

_NAMESPACE = uuid.UUID("5b0f3c2e-9a41-4d7f-b6e1-0c8d2a7f4e93")


@dataclass
class Hold:
    hold_id: UUID
    holder: str
    expires_at: datetime
    status: str = ACTIVE

    def running_at(self, at: datetime) -> bool:
        return self.status == ACTIVE and at < self.expires_at


class Slot(Aggregate):
    @staticmethod
    def create_id(schedule_id: UUID, start: datetime) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{schedule_id}|{start.astimezone(UTC).isoformat()}")

    @classmethod
    def open(
        cls,
        *,
        schedule_id: UUID,
        site_id: UUID,
        service_line: str,
        occurrence: Occurrence,
        meta: Meta,
    ) -> Slot:
        return cls(
            id=cls.create_id(schedule_id, occurrence.start),
            schedule_id=schedule_id,
            site_id=site_id,
            service_line=service_line,
            day=occurrence.day,
            start=occurrence.start,
            minutes=occurrence.minutes,
            capacity=occurrence.capacity,
            meta=meta,
        )

    class Opened(Aggregate.Created):
        schedule_id: UUID
        site_id: UUID
        service_line: str
        day: date
        start: datetime
        minutes: int
        capacity: int
        meta: Meta

    @event(Opened)
    def __init__(
        self,
        id: UUID,
        schedule_id: UUID,
        site_id: UUID,
        service_line: str,
        day: date,
        start: datetime,
        minutes: int,
        capacity: int,
        meta: Meta,
    ) -> None:
        self.schedule_id = schedule_id
        self.site_id = site_id
        self.service_line = service_line
        self.day = day
        self.start = start
        self.minutes = minutes
        self.capacity = capacity
        self.status = OPEN
        self.appointments: list[UUID] = []
        self.holds: dict[UUID, Hold] = {}

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def held_at(self, at: datetime) -> int:
        return sum(1 for hold in self.holds.values() if hold.running_at(at))

    def available_at(self, at: datetime) -> int:
        return self.capacity - len(self.appointments) - self.held_at(at)

    def _check_bookable(self, at: datetime) -> None:
        if self.status != OPEN:
            raise SlotClosed(f"the slot at {self.start.isoformat()} is closed")
        if at >= self.end:
            raise SlotEnded(f"the slot at {self.start.isoformat()} is over")

    def _check_place(self, at: datetime) -> None:
        if self.available_at(at) < 1:
            raise SlotFull(
                f"all {self.capacity} places of the slot at {self.start.isoformat()} are taken"
            )

    # -- holds ---------------------------------------------------------------

    def hold(self, *, hold_id: UUID, holder: str, seconds: int, at: datetime, meta: Meta) -> Hold:
        if not MIN_HOLD_SECONDS <= seconds <= MAX_HOLD_SECONDS:
            raise InvalidHold(f"a hold lasts {MIN_HOLD_SECONDS} to {MAX_HOLD_SECONDS} seconds")
        if hold_id in self.holds:
            raise AlreadyInSlot(f"hold {hold_id} exists already")
        self._check_bookable(at)
        self._check_place(at)
        self._held(
            hold_id=hold_id,
            holder=holder,
            at=at,
            expires_at=at + timedelta(seconds=seconds),
            meta=meta,
        )
        return self.holds[hold_id]

    class Held(Aggregate.Event):
        hold_id: UUID
        holder: str
        at: datetime
        expires_at: datetime
        meta: Meta

    @event(Held)
    def _held(
        self, hold_id: UUID, holder: str, at: datetime, expires_at: datetime, meta: Meta
    ) -> None:
        self.holds[hold_id] = Hold(hold_id, holder, expires_at)

    def your_hold(self, hold_id: UUID, holder: str) -> Hold:
        hold = self.holds.get(hold_id)
        if hold is None or hold.holder != holder:
            raise HoldNotFound(f"you have no hold {hold_id} on this slot")
        return hold

    def release_hold(self, *, hold_id: UUID, holder: str, at: datetime, meta: Meta) -> None:
        hold = self.your_hold(hold_id, holder)
        if hold.status != ACTIVE:
            raise HoldNotActive(f"the hold was {hold.status}")
        self._hold_released(hold_id=hold_id, at=at, meta=meta)

    class HoldReleased(Aggregate.Event):
        hold_id: UUID
        at: datetime
        meta: Meta

    @event(HoldReleased)
    def _hold_released(self, hold_id: UUID, at: datetime, meta: Meta) -> None:
        self.holds[hold_id].status = RELEASED

    # -- appointments ----------------------------------------------------------

    def take(
        self,
        *,
        appointment_id: UUID,
        hold_id: UUID | None,
        holder: str,
        at: datetime,
        meta: Meta,
    ) -> None:
        """A place for the appointment: the caller's running hold, or a free place."""
        if appointment_id in self.appointments:
            raise AlreadyInSlot(f"appointment {appointment_id} is in this slot already")
        self._check_bookable(at)
        if hold_id is None:
            self._check_place(at)
        else:
            hold = self.your_hold(hold_id, holder)
            if hold.status != ACTIVE:
                raise HoldNotActive(f"the hold was {hold.status}")
            if not hold.running_at(at):
                raise HoldExpired(f"the hold expired at {hold.expires_at.isoformat()}")
        self._taken(appointment_id=appointment_id, hold_id=hold_id, at=at, meta=meta)

    class Taken(Aggregate.Event):
        appointment_id: UUID
        hold_id: UUID | None
        at: datetime
        meta: Meta

    @event(Taken)
    def _taken(self, appointment_id: UUID, hold_id: UUID | None, at: datetime, meta: Meta) -> None:
        self.appointments.append(appointment_id)
        if hold_id is not None:
            self.holds[hold_id].status = USED

    def release(self, *, appointment_id: UUID, reason: str, meta: Meta) -> None:
        """The appointment gives its place back (cancelled, moved, entered in error)."""
        if appointment_id not in self.appointments:
            raise NotInSlot(f"appointment {appointment_id} holds no place in this slot")
        self._released(appointment_id=appointment_id, reason=reason, meta=meta)

    class Released(Aggregate.Event):
        appointment_id: UUID
        reason: str
        meta: Meta

    @event(Released)
    def _released(self, appointment_id: UUID, reason: str, meta: Meta) -> None:
        self.appointments.remove(appointment_id)

    # -- closure ---------------------------------------------------------------

    def close(self, *, closure_id: UUID, reason: str, meta: Meta) -> None:
        if self.appointments:
            raise SlotsHaveBookings(
                f"the slot at {self.start.isoformat()} holds {len(self.appointments)} "
                "appointment(s)",
                slot_id=str(self.id),
            )
        if self.status == OPEN:
            self._closed(closure_id=closure_id, reason=reason, meta=meta)

    class Closed(Aggregate.Event):
        closure_id: UUID
        reason: str
        meta: Meta

    @event(Closed)
    def _closed(self, closure_id: UUID, reason: str, meta: Meta) -> None:
        self.status = CLOSED
