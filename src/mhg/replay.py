"""Replay: every read model of a service as it stood at a moment, from its event log alone.

The source log is only ever read (a read-only SQLite connection, or a read-only
PostgreSQL transaction). Events are taken in log order, and an event belongs to the
past moment when the time it was recorded (its own timestamp, inside the stored
state, decoded through the application's mapper) is at or before it. Two results go
into a fresh directory, both SQLite files named the way a service names them:

- `<app>.sqlite`: a copy of the log up to that moment, each event at its original
  position, so that a service started on it loads every aggregate as it then was
  (written by a thread of its own: `mhg.replay_log.LogCopy`);
- `<app>.read.sqlite`: every read model rebuilt from zero from those events (one
  transaction per batch, statements run in bulk: `mhg.replay_rows`; non-unique
  indexes built after the rows: `mhg.replay_indexes`), with each projection's
  tracking at the copy's head.

Events are decoded once for all projections (`mhg.replay_events`). Figures and what
the time goes to: docs/performance.md.

Notification ids follow commit order (ADR 0001), and an event's timestamp is taken
before its commit, so an event recorded before the moment can sit a little after one
recorded later. The scan therefore goes on past the moment and stops only at an event
recorded `REORDER_MARGIN` after it: far beyond any transaction the stores allow.
"""

from __future__ import annotations

__all__ = ["Replay", "ReplayRefused", "ReplayResult", "replay_location"]

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic
from sqlalchemy import MetaData, create_engine, event, insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

from mhg.eventstore import StoreLocation
from mhg.projection import Handler, Projection
from mhg.projection_state import StateTables
from mhg.readstore import read_model_url
from mhg.replay_events import event_decoder
from mhg.replay_indexes import ALL, build_indexes, build_when_named, defer_indexes
from mhg.replay_log import CACHE_KIB, LogCopy, LogSource, ReplayRefused, Row
from mhg.replay_rows import BufferedConnection, buffer_inserts
from mhg.runtime import ServiceParts

REORDER_MARGIN = timedelta(minutes=10)
BATCH = 20_000
MEMO_ENTRIES = 500_000  # what projections remember (`batch_memo`) is dropped beyond this


@dataclass
class ReplayResult:
    scanned: int = 0
    replayed: int = 0
    position: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """This process's CPU time: on a shared machine, the figure to compare runs by."""

    @property
    def events_per_second(self) -> float:
        return self.scanned / self.seconds if self.seconds else 0.0

    @property
    def events_per_cpu_second(self) -> float:
        return self.scanned / self.cpu_seconds if self.cpu_seconds else 0.0


def replay_location(out_dir: Path, application_name: str) -> StoreLocation:
    """Where a replay of this application writes its log copy (its read models beside it)."""
    return StoreLocation.parse(f"sqlite:///{out_dir.resolve() / application_name}.sqlite")


class Replay:
    def __init__(
        self,
        parts: ServiceParts,
        application_name: str,
        source: StoreLocation,
        out_dir: Path,
        *,
        as_of: datetime | None = None,
        batch: int = BATCH,
    ) -> None:
        if as_of is not None and as_of.tzinfo is None:
            raise ReplayRefused("the moment to replay to needs a UTC offset, e.g. ...T23:59:59Z")
        self.parts = parts
        self.source = source
        self.as_of = as_of
        self.batch = batch
        self.target = replay_location(out_dir, application_name)
        self.application_name = application_name
        self.read_path = Path(str(read_model_url(self.target).database))
        self.log_path = Path(str(self.target.url.database))
        for path in (self.log_path, self.read_path):
            if path.exists():
                raise ReplayRefused(f"{path} exists: replay into a fresh directory")

    def run(self, progress: Callable[[int, int], None] | None = None) -> ReplayResult:
        """Replay; `progress(scanned, head)` is called after each batch."""
        source = LogSource(self.source, self.application_name)
        target = self.parts.application(self.target)  # creates the copy's event tables
        mapper = target.mapper
        target.close()
        metadata = self.parts.metadata()
        buffer_inserts(metadata)
        models = _fresh_file_engine(self.read_path)
        copy = LogCopy(self.log_path, source.path)
        try:
            metadata.create_all(models)
            return self._run(source, mapper, models, metadata, copy, progress)
        finally:
            copy.close()
            models.dispose()
            source.close()

    def _run(
        self,
        source: LogSource,
        mapper: Mapper[UUID],
        models: Engine,
        metadata: MetaData,
        copy: LogCopy,
        progress: Callable[[int, int], None] | None,
    ) -> ReplayResult:
        projections = self.parts.projections(metadata)
        by_topic = _handlers_by_topic(projections)
        decode = event_decoder(mapper)
        result = ReplayResult()
        head = source.head()
        started, cpu_started = time.perf_counter(), time.process_time()
        after, done, scanned = 0, False, 0
        memos: dict[object, dict[Any, Any]] = {}  # the store is fresh and ours alone
        with models.begin() as conn:
            deferred = defer_indexes(conn, metadata)
        build_when_named(models, deferred)
        while not done:
            rows = source.rows(after, self.batch)
            if not rows:
                break
            kept: list[Row] = []
            with models.begin() as conn:
                if sum(len(memo) for memo in memos.values()) > MEMO_ENTRIES:
                    memos.clear()
                buffered = BufferedConnection(conn, memos, deferred)
                # it stands in for the Connection projection handlers are written against
                connection = cast(Connection, buffered)
                for row in rows:
                    position, originator_id, version, topic, state = row
                    scanned += 1
                    applying = by_topic.get(topic)
                    if applying is None and self.as_of is None:
                        kept.append(row)
                        continue
                    event: Any = decode(originator_id, version, topic, state)
                    if self.as_of is not None and event.timestamp > self.as_of:
                        done = event.timestamp > self.as_of + REORDER_MARGIN
                        if done:
                            break
                        continue
                    kept.append(row)
                    for handler in applying or ():
                        handler(connection, event, position)
                buffered.flush()
            result.scanned = scanned
            copy.append(kept, rows)
            after = rows[-1][0]
            result.replayed += len(kept)
            result.position = kept[-1][0] if kept else result.position
            if progress is not None:
                progress(after, head)
        with models.begin() as conn:
            build_indexes(conn.exec_driver_sql, deferred, ALL)
        copy.finish()
        self._track(models, metadata, projections, result.position)
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = time.process_time() - cpu_started
        return result

    @staticmethod
    def _track(
        models: Engine, metadata: MetaData, projections: Sequence[Projection], position: int
    ) -> None:
        """Each projection's position, and its schema fingerprint: a service started on the
        replayed store serves it as it is (`ProjectionRunner.rebuild_changed`)."""
        tracking = metadata.tables["projection_tracking"]
        with models.begin() as conn:
            for projection in projections:
                conn.execute(insert(tracking).values(name=projection.name, position=position))
            StateTables(metadata).set_fingerprints(conn, projections)


def _handlers_by_topic(projections: Sequence[Projection]) -> dict[str, list[Handler]]:
    """Every projection's handler of each event topic: an event is decoded once for all."""
    handlers: dict[type[Any], list[Handler]] = {}
    for projection in projections:
        for cls, handler in projection.handlers.items():
            handlers.setdefault(cls, []).append(handler)
    return {get_topic(c): h for c, h in handlers.items()}


def _fresh_file_engine(path: Path) -> Engine:
    """The new read-model file, written the fast way: no journal, no sync, a big cache.

    A replay that fails leaves a directory to delete, never a store anyone relies on;
    the service that opens it later puts it in WAL mode as it does every read store.
    """
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.close()

    return engine
