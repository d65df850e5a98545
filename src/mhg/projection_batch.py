"""One batch of events applied to one projection, and what stops a projection.

A handler is the boundary of a projection: whatever it raises on an event stops that
projection at that event (ADR 0017); the store being away or busy blames no event.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import PersistenceError
from eventsourcing.utils import get_topic
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from mhg.projection import Projection

# The store away or busy: the batch is tried again later, no event is blamed for it.
TRANSIENT = (PersistenceError, OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


class HandlerFailed(Exception):
    """A projection's handler raised on one event."""

    def __init__(self, position: int, event: Any, error: Exception) -> None:
        super().__init__(f"{type(error).__name__} at position {position}")
        self.position = position
        self.topic = get_topic(type(event))
        self.error = error


class Stopped(Exception):
    """A projection stopped at a failed event, after applying `applied` events before it."""

    def __init__(self, applied: int) -> None:
        super().__init__(f"stopped after {applied} events")
        self.applied = applied


def apply_events(projection: Projection, conn: Connection, events: list[tuple[Any, int]]) -> None:
    """The batch loop: one handler call per event, nothing else on the hot path."""
    position = 0
    event: Any = None
    try:
        for event, position in events:
            projection.apply(conn, event, position)
    except TRANSIENT:
        raise
    # A handler is the boundary of a projection: whatever it raises on an event (an
    # overflow, a value the store refuses, a bug) stops this projection, not the runner.
    except Exception as error:
        raise HandlerFailed(position, event, error) from error
