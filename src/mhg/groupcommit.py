"""Group commit on PostgreSQL: concurrent saves share one transaction of the event log.

The library's recorder writes each save in a transaction of its own that takes the log's
table lock (`LOCK TABLE ... IN EXCLUSIVE MODE`, so notification ids are handed out in
commit order: a reader that has seen id N has seen every id below it that will ever
exist) and holds it across two round trips and the commit. Concurrent saves
queue at that lock (docs/performance.md, "The command path, profiled"). Here they queue
in the process instead, and the first in line writes for everyone waiting
(leader/follower, no thread of its own; docs/adr/0001):

- A caller puts its save (stored events and tracking position) at the end of the line.
  If the line was empty it writes at once: a lone save waits for nothing, no timer.
  Otherwise it sleeps until it is settled or first in line.
- The first in line takes up to `BATCH_CAP` saves from the front and writes them in ONE
  transaction, its statements pipelined in one round trip before the commit: the table
  lock once, NOTIFY once, each save's tracking row, every save's events in one INSERT ...
  RETURNING notification_id. The ids come back in the order of the rows (as the library
  relies on for one save) and each save gets its own slice. Then it settles the saves it
  wrote and wakes the next in line, behind whom the saves that came meanwhile wait.
- Each save is still decided against the versions its caller read: a version already
  taken, or a tracking position already recorded, fails that save only. Conflicts are
  rare, so the batch is tried whole first; when it conflicts, it is rolled back and
  written again in one transaction with a savepoint per save, one save after the other
  in line order. Each save then meets exactly the log it would have met written alone
  behind the saves before it: the ones that conflict get IntegrityError (which
  `ServiceApplication` names AlreadyApplied or ConcurrentUpdate), the rest commit. A
  lone save that conflicts needs no second try: its conflict is its own. (The rolled-back
  try used up sequence values: ids skip them, as after any lost race; order holds.)
- A store error (unreachable, lock or statement timeout) fails the whole batch after the
  same bounded retry a single save had (`mhg.storebounds`), and every caller in it gets
  that error, raised in its own thread: nothing it asked for commits afterwards. The
  saves waiting behind that batch get it too, at once: they waited while the store
  failed for good, and trying again would make them wait a second bound. So no caller
  waits longer for its 503 than a lone save would (ADR 0018). Any other store error
  fails that batch only; an error that is not the store's (a bug) reaches the caller
  that wrote the batch, and the others in it get SaveAbandoned.

SQLite is untouched: it has one writer per file anyway.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import psycopg
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
    Tracking,
)
from eventsourcing.postgres import PgStoredEvent
from psycopg import Connection
from psycopg.rows import DictRow

from mhg.storebounds import BoundedPostgresProcessRecorder, bounded

BATCH_CAP = 64
"""The most saves one transaction writes: a burst beyond it is written in several."""

OUTAGE = (OperationalError, InterfaceError)
"""Errors that fail a batch only after the bounded retry (mhg.storebounds): an outage."""

Outcome = list[int] | IntegrityError
"""What became of one save: its notification ids, or the conflict that refused it."""


class SaveAbandoned(RuntimeError):
    """The transaction carrying this save ended in an error other than the store's (a bug:
    the caller that wrote the batch raised it); the save was not committed."""


class _Conflicted(Exception):
    """The batch, tried whole, met a conflict: roll it back and write it save by save."""


@dataclass(eq=False)
class Save:
    """One caller's save, waiting in line until it is settled or first."""

    stored_events: Sequence[StoredEvent]
    tracking: Tracking | None
    turn: threading.Event = field(default_factory=threading.Event)
    settled: bool = False
    outcome: Outcome | None = None
    error: Exception | None = None

    def result(self) -> list[int]:
        """This save's notification ids, or its own error, raised in the caller's thread."""
        error = self.error if self.error is not None else self.outcome
        if isinstance(error, Exception):
            raise type(error)(*error.args) from error
        if error is None:  # pragma: no cover - a settled save has one or the other
            raise SaveAbandoned("the save was settled without an outcome")
        return error


@dataclass
class BatchCounts:
    """What the line has written (read by /metrics and the tests)."""

    transactions: int = 0  # batches committed (a conflicted batch counts once)
    saves: int = 0
    largest: int = 0
    conflicted: int = 0  # batches written again save by save


class SaveLine:
    """Callers queue their saves; the first in line writes up to `cap` of them at once."""

    def __init__(self, write: Callable[[list[Save]], list[Outcome]], cap: int = BATCH_CAP):
        self._write = write
        self._cap = cap
        self._mutex = threading.Lock()
        self._waiting: deque[Save] = deque()
        self.counts = BatchCounts()

    @property
    def waiting(self) -> int:
        """Saves in line, the one being written included."""
        with self._mutex:
            return len(self._waiting)

    def save(self, save: Save) -> list[int]:
        with self._mutex:
            self._waiting.append(save)
            alone = len(self._waiting) == 1
        if not alone:
            save.turn.wait()  # bounded by the batch ahead, itself bounded by the store's bounds
        if not save.settled:
            self._write_front()
        return save.result()

    def _write_front(self) -> None:
        with self._mutex:
            batch = list(islice(self._waiting, self._cap))
        outcomes: list[Outcome] = []
        error: Exception | None = None
        try:
            outcomes = self._write(batch)
        except PersistenceError as store_error:
            error = store_error
        finally:  # whatever happened, the batch is settled and the next in line woken
            self._settle(batch, outcomes, error)

    def _settle(self, batch: list[Save], outcomes: list[Outcome], error: Exception | None) -> None:
        if error is None and len(outcomes) != len(batch):
            error = SaveAbandoned("the batch carrying this save failed")
        with self._mutex:
            for _ in batch:
                self._waiting.popleft()
            if isinstance(error, OUTAGE):  # the store failed for good while these waited
                batch = [*batch, *self._waiting]
                self._waiting.clear()
            following = self._waiting[0] if self._waiting else None
            for index, save in enumerate(batch):
                save.error = error
                save.outcome = outcomes[index] if error is None else None
                save.settled = True
            if error is None:
                self.counts.transactions += 1
                self.counts.saves += len(batch)
                self.counts.largest = max(self.counts.largest, len(batch))
        for save in batch:
            save.turn.set()
        if following is not None:
            following.turn.set()


class GroupCommitPostgresProcessRecorder(BoundedPostgresProcessRecorder):
    """The bounded PostgreSQL process recorder, writing concurrent saves in one transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = SaveLine(self._write_batch)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        tracking: Tracking | None = kwargs.get("tracking")
        if self.datastore.enable_db_functions:  # the library's own experiment, as it is
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        if not stored_events and tracking is None:
            return None
        return self.line.save(Save(stored_events, tracking))

    @bounded
    def _write_batch(self, batch: list[Save]) -> list[Outcome]:
        with self.datastore.get_connection() as conn:
            try:
                return self._write_whole(conn, batch)
            except (_Conflicted, psycopg.IntegrityError) as conflict:
                if len(batch) == 1:
                    return [IntegrityError(str(conflict))]
            self.line.counts.conflicted += 1
            return self._write_save_by_save(conn, batch)

    def _composite(self, stored_events: Sequence[StoredEvent]) -> list[PgStoredEvent]:
        return [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]

    def _ids(self, curs: psycopg.Cursor[DictRow], events: Sequence[StoredEvent]) -> list[int]:
        return list(self._fetch_ids_after_insert_events(curs, events) or ())

    def _tracking_params(self, tracking: Tracking) -> dict[str, Any]:
        return {
            "application_name": tracking.application_name,
            "notification_id": tracking.notification_id,
        }

    def _write_whole(self, conn: Connection[DictRow], batch: list[Save]) -> list[Outcome]:
        """The batch in one transaction: its statements in one round trip, then the commit.
        _Conflicted (or psycopg's IntegrityError) if any save conflicts; nothing committed."""
        events = [event for save in batch for event in save.stored_events]
        with ExitStack() as cursors, conn.pipeline() as pipeline, conn.transaction():
            if events:
                curs = cursors.enter_context(conn.cursor())
                self._lock_table(curs)
                self._notify_channel(curs)
            tracked = []
            for save in batch:
                if save.tracking is not None:
                    curs = cursors.enter_context(conn.cursor())
                    params = self._tracking_params(save.tracking)
                    curs.execute(self.insert_tracking_statement, params, prepare=True)
                    tracked.append(curs)
            inserted = cursors.enter_context(conn.cursor())
            if events:
                inserted.execute(self.insert_events_statement, (self._composite(events),))
            pipeline.sync()  # a taken version raises its IntegrityError here
            for curs in tracked:  # a position recorded before updates no row
                if self.datastore.single_row_tracking and curs.fetchone() is None:
                    raise _Conflicted("a tracking position was recorded before")
            ids = self._ids(inserted, events) if events else []
        outcomes: list[Outcome] = []
        for save in batch:
            outcomes.append(list(ids[: len(save.stored_events)]))
            ids = ids[len(save.stored_events) :]
        return outcomes

    def _write_save_by_save(self, conn: Connection[DictRow], batch: list[Save]) -> list[Outcome]:
        """The batch in one transaction, a savepoint per save: a conflict undoes its own."""
        outcomes: list[Outcome] = []
        with conn.transaction(), conn.cursor() as curs:
            if any(save.stored_events for save in batch):
                self._lock_table(curs)
                self._notify_channel(curs)
            for save in batch:
                try:
                    with conn.transaction():
                        if save.tracking is not None:
                            self._insert_tracking(curs, save.tracking)
                        ids: list[int] = []
                        if save.stored_events:
                            composite = self._composite(save.stored_events)
                            curs.execute(self.insert_events_statement, (composite,))
                            ids = self._ids(curs, save.stored_events)
                except (psycopg.IntegrityError, IntegrityError) as conflict:
                    outcomes.append(IntegrityError(str(conflict)))
                else:
                    outcomes.append(ids)
        return outcomes


RECORDER_TOPIC = f"{__name__}:{GroupCommitPostgresProcessRecorder.__name__}"
