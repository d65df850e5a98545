"""What the MSO does alike with each kind of PC document it receives by feed (visit
templates, readiness standards, coding rules and records policy): a record per
document, kept under an id that follows from the message, made by the first message and
changed by each later one, with the feed's tracking so that each message counts once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication

R = TypeVar("R", bound=Aggregate)


@dataclass(eq=False)
class ReceivedRecords(Generic[R]):
    store: ServiceApplication

    def _received(self, record_id: UUID) -> R | None:
        """The record of that id, if a message made it."""
        if record_id not in self.store.repository:
            return None
        record: R = self.store.repository.get(record_id)
        return record

    def _take(
        self, record_id: UUID, first: Callable[[], R], then: Callable[[R], None], tracking: Tracking
    ) -> R:
        """A message taken: it makes the record (`first`) or changes it (`then`)."""
        record = self._received(record_id)
        if record is None:
            record = first()
        else:
            then(record)
        self.store.record(record, tracking=tracking)
        return record
