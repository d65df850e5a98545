"""Read models built from the event log, each with its position stored beside its rows.

A projection names the event topics it reads and applies each event to its tables in
the same transaction that advances its tracking row, so a crash can neither lose nor
repeat an event. `rebuild` empties the tables and replays the log from the start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, MetaData, String, Table, select, update
from sqlalchemy.engine import Connection, Transaction

from mhg.eventstore import ServiceApplication
from mhg.readstore import ReadStore

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Any, int], None]


_memos: WeakKeyDictionary[Transaction, dict[object, dict[Any, Any]]] = WeakKeyDictionary()


def batch_memo(conn: Connection, owner: object) -> dict[Any, Any]:
    """A dict in which `owner` (a projection's helper) keeps what it wrote or read in `conn`.

    A projection may answer from it instead of selecting again, provided it writes
    through to its tables (so that dropping the memo is always safe) and nothing but
    itself changes what it remembers. The memo lasts as long as the transaction (a
    runner's batch); a replay, sole writer of a fresh store, keeps it for the whole
    replay. Outside a transaction it is empty every time.
    """
    memo: Callable[[object], dict[Any, Any]] | None = getattr(conn, "memo", None)
    if memo is not None:  # a replay's connection (`mhg.replay_rows.BufferedConnection`)
        return memo(owner)
    transaction = conn.get_transaction()
    if transaction is None:
        return {}
    owners = _memos.get(transaction)
    if owners is None:
        owners = _memos[transaction] = {}
    found = owners.get(owner)
    if found is None:
        found = owners[owner] = {}
    return found


def tracking_table(metadata: MetaData) -> Table:
    return Table(
        "projection_tracking",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", BigInteger, nullable=False),
    )


@dataclass
class Projection:
    """A read model: its tables and a handler per event class it reads."""

    name: str
    tables: Sequence[Table]
    handlers: dict[type[Any], Handler]

    @property
    def topics(self) -> list[str]:
        return [get_topic(cls) for cls in self.handlers]

    def apply(self, conn: Connection, event: DomainEventProtocol[UUID], position: int) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(conn, event, position)


class ProjectionRunner:
    """Keeps a set of projections caught up with the application's log."""

    def __init__(
        self,
        app: ServiceApplication,
        store: ReadStore,
        projections: Sequence[Projection],
        batch_size: int = 200,
    ) -> None:
        self.app = app
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size
        self.tracking = store.metadata.tables["projection_tracking"]
        self._lock = threading.Lock()

    def position(self, projection: Projection) -> int:
        with self.store.reader.connect() as conn:
            value = conn.execute(
                select(self.tracking.c.position).where(self.tracking.c.name == projection.name)
            ).scalar()
        return int(value or 0)

    def lag(self) -> int:
        head = self.app.head_position()
        return max((head - self.position(p) for p in self.projections), default=0)

    def catch_up(self) -> int:
        """Apply every recorded event not yet applied; returns how many were applied."""
        with self._lock:
            return sum(self._catch_up(p) for p in self.projections)

    def _catch_up(self, projection: Projection) -> int:
        """Read and decode outside the write transaction; hold the write lock only to apply.

        On SQLite the read models share the file, and its single write lock, with the
        event store: a long transaction here would stall every command behind it.
        """
        applied = 0
        topics = projection.topics
        while True:
            head = self.app.head_position()
            current = self.position(projection)
            if current >= head:
                return applied
            notifications = self.app.recorder.select_notifications(
                start=current,
                limit=self.batch_size,
                stop=head,
                topics=topics,
                inclusive_of_start=False,
            )
            events = [(self.app.decode(n), n.id) for n in notifications]
            full = len(notifications) == self.batch_size
            reached = notifications[-1].id if full else head
            with self.store.writer.begin() as conn:
                if self._locked_position(conn, projection) != current:
                    continue  # another runner advanced meanwhile: read again from there
                for event, position in events:
                    projection.apply(conn, event, position)
                conn.execute(
                    update(self.tracking)
                    .where(self.tracking.c.name == projection.name)
                    .values(position=reached)
                )
            applied += len(events)

    def _locked_position(self, conn: Connection, projection: Projection) -> int:
        row = conn.execute(
            select(self.tracking.c.position)
            .where(self.tracking.c.name == projection.name)
            .with_for_update()
        ).first()
        if row is None:
            conn.execute(self.tracking.insert().values(name=projection.name, position=0))
            return 0
        return int(row[0])

    def rebuild(self) -> int:
        """Empty every read model and replay the whole log into it."""
        with self._lock, self.store.writer.begin() as conn:
            for projection in self.projections:
                for table in projection.tables:
                    conn.execute(table.delete())
                conn.execute(
                    update(self.tracking)
                    .where(self.tracking.c.name == projection.name)
                    .values(position=0)
                )
        return self.catch_up()
