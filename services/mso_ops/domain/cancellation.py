"""Cancelling an appointment, a shift, a form or a courier run: a status and its reason.

Each of those aggregates declares its own `Cancelled` event (so each keeps its topic)
as a `Cancellation`, and applies it with `record_cancellation`. Which statuses may be
cancelled from is each aggregate's rule, checked before the event.
"""

from __future__ import annotations

from typing import Protocol

from eventsourcing.domain import Aggregate

from mhg.meta import Meta

CANCELLED = "cancelled"


class Cancellable(Protocol):
    status: str
    cancellation_reason: str | None


class Cancellation(Aggregate.Event):
    """What each aggregate's "Cancelled" event records."""

    reason: str
    meta: Meta


def record_cancellation(self: Cancellable, reason: str, meta: Meta) -> None:
    self.status = CANCELLED
    self.cancellation_reason = reason
