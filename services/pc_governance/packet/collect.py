"""Reading the event log up to a moment, and rebuilding the aggregates as they stood then.

The log is read in order; an event belongs to the packet when it was recorded before
the end of the period. Events are recorded in position order, so a scan may stop once
it meets events recorded well after the end (MARGIN covers writes still in flight
when the period ended); nothing recorded later can change what the packet holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from mhg.eventstore import ServiceApplication
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.visit_template import VisitTemplate

AGGREGATES: tuple[type[Aggregate], ...] = (
    Meeting,
    CorrectiveAction,
    Authorization,
    Protocol,
    Clinician,
    VisitTemplate,
)
MARGIN = timedelta(hours=1)
BATCH = 1000


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def actor(event: Any) -> dict[str, str]:
    """Who recorded an event, and for which organisation."""
    meta = event.meta
    return {"id": meta.actor_id, "role": meta.actor_role, "org": meta.actor_org}


@dataclass
class Stream:
    """One aggregate's events up to the end of the period, and its state then."""

    events: list[Any] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    state: Any = None

    @property
    def last_recorded(self) -> datetime:
        last: datetime = self.events[-1].timestamp
        return last


@dataclass
class History:
    """The log as it stood at `end` (exclusive): streams by aggregate class, in log order."""

    start: datetime
    end: datetime
    streams: dict[type[Aggregate], dict[UUID, Stream]]
    through: int = 0
    events: int = 0

    def of(self, cls: type[Aggregate]) -> list[Stream]:
        return list(self.streams[cls].values())

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def holds(self, at: datetime | None) -> bool:
        """Does the moment fall in the period?"""
        return at is not None and self.start <= at < self.end


def _owners() -> dict[str, type[Aggregate]]:
    return {f"{get_topic(cls)}.": cls for cls in AGGREGATES}


def _owner(topic: str, owners: dict[str, type[Aggregate]]) -> type[Aggregate] | None:
    prefix = topic[: topic.rfind(".") + 1]
    return owners.get(prefix)


def collect(app: ServiceApplication, first_day: date, last_day: date) -> History:
    """The governance aggregates' events recorded before the end of `last_day` (UTC)."""
    history = History(
        start=day_start(first_day),
        end=day_start(last_day + timedelta(days=1)),
        streams={cls: {} for cls in AGGREGATES},
    )
    owners = _owners()
    after = 0
    while True:
        notifications = app.recorder.select_notifications(
            start=after, limit=BATCH, inclusive_of_start=False
        )
        for notification in notifications:
            after = notification.id
            owner = _owner(notification.topic, owners)
            if owner is None:
                continue
            event: Any = app.decode(notification)
            if event.timestamp >= history.end:
                if event.timestamp >= history.end + MARGIN:
                    return _rebuilt(history)
                continue
            stream = history.streams[owner].setdefault(event.originator_id, Stream())
            stream.events.append(event)
            stream.positions.append(notification.id)
            history.through = notification.id
            history.events += 1
        if len(notifications) < BATCH:
            return _rebuilt(history)


def _rebuilt(history: History) -> History:
    for streams in history.streams.values():
        for stream in streams.values():
            state = None
            for event in stream.events:
                state = event.mutate(state)
            stream.state = state
    return history
