"""Keeps a service's projections caught up with its log, each on its own.

Each projection advances on its own tracking row. When a handler raises on an event,
the runner commits what the batch applied before that event, records the failure
(projection, position, topic, error) in `projection_failures`, and that projection
stops there: it never skips an event. Every other projection goes on. `retry` starts
a stopped projection again from its failed event (after a fix); `rebuild` drops its
tables and replays the log into them. ADR 0017.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select, tuple_, update

from mhg.eventstore import ServiceApplication
from mhg.projection import Projection
from mhg.projection_batch import HandlerFailed, Stopped, apply_events
from mhg.projection_state import (
    Failure,
    ProjectionStatus,
    StateTables,
    fingerprint,
    schema_changes,
)
from mhg.readstore import ReadStore

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class UnknownProjection(ValueError):
    pass


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
        self.state = StateTables(store.metadata)
        self.tracking = self.state.tracking
        self._lock = threading.Lock()

    def named(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        known = ", ".join(p.name for p in self.projections)
        raise UnknownProjection(f"no projection named {name!r}; known: {known}")

    def position(self, projection: Projection) -> int:
        with self.store.reader.connect() as conn:
            value = conn.execute(
                select(self.tracking.c.position).where(self.tracking.c.name == projection.name)
            ).scalar()
        return int(value or 0)

    def statuses(self) -> list[ProjectionStatus]:
        """Each projection's position, lag behind the log head, and failure if stopped."""
        head = self.app.head_position()
        with self.store.reader.connect() as conn:
            positions = self.state.positions(conn)
            failed = self.state.failed(conn)
        return [
            ProjectionStatus(
                name=p.name,
                position=positions.get(p.name, 0),
                lag=head - positions.get(p.name, 0),
                failure=failed.get(p.name),
            )
            for p in self.projections
        ]

    def lag(self) -> int:
        return max((s.lag for s in self.statuses()), default=0)

    def catch_up(self, progress: Progress | None = None, *, head: int | None = None) -> int:
        """Apply every recorded event not yet applied (up to `head`, the log's head unless
        given); returns how many were applied.

        A projection stopped by a failure is left where it stopped. Within a batch of the
        head (a live service) the new events are read once for all projections and applied
        in one transaction that moves every projection to the head: a command's wait
        (ADR 0023) stays short."""
        with self._lock:
            with self.store.reader.connect() as conn:
                positions, failed = self.state.standing(conn)
            live = [p for p in self.projections if p.name not in failed]
            head = self.app.head_position() if head is None else head
            behind = {p.name: positions[p.name] for p in live if positions.get(p.name, head) < head}
            untracked = [p for p in live if p.name not in positions]
            if untracked or (behind and head - min(behind.values()) > self.batch_size):
                return sum(self._catch_up(p, progress) for p in live)
            if not behind:
                return 0
            try:
                return self._catch_up_together(live, behind, head)
            except HandlerFailed:  # rolled back whole: each projection on its own finds
                return sum(self._catch_up(p, progress) for p in live)  # and stops at it

    def _catch_up_together(
        self, live: Sequence[Projection], behind: dict[str, int], head: int
    ) -> int:
        """One read of the new events, one transaction: lock the positions read, apply
        each projection's events, move them all to the head in one statement. One that
        another runner moved meanwhile (a rebuild) is left to the next tick."""
        notifications = self.app.recorder.select_notifications(
            start=min(behind.values()), limit=self.batch_size, stop=head, inclusive_of_start=False
        )
        decoded = {n.id: self.app.decode(n) for n in notifications}
        applied = 0
        with self.store.writer.begin() as conn:
            locked = self.state.locked_positions(conn, sorted(behind))
            moving = [
                (p, behind[p.name]) for p in live if locked.get(p.name, -1) == behind.get(p.name)
            ]
            for projection, current in moving:
                topics = set(projection.topics)
                events = [
                    (decoded[n.id], n.id)
                    for n in notifications
                    if n.id > current and n.topic in topics
                ]
                apply_events(projection, conn, events)
                applied += len(events)
            if moving:
                conn.execute(
                    update(self.tracking)
                    .where(
                        tuple_(self.tracking.c.name, self.tracking.c.position).in_(
                            [(p.name, current) for p, current in moving]
                        )
                    )
                    .values(position=head)
                )
        return applied

    def _catch_up(self, projection: Projection, progress: Progress | None = None) -> int:
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
            try:
                done = self._apply_batch(projection, current, events, reached)
            except Stopped as stopped:
                return applied + stopped.applied
            if done is None:
                continue  # another runner advanced meanwhile: read again from there
            applied += done
            if progress is not None:
                progress(reached, head)

    def _apply_batch(
        self, projection: Projection, current: int, events: list[tuple[Any, int]], reached: int
    ) -> int | None:
        """Apply the events after `current` and advance to `reached`, in one transaction.

        None when another runner moved the projection meanwhile. When a handler fails,
        what came before it is committed, the projection stops, and `Stopped` says how
        much was applied.
        """
        try:
            with self.store.writer.begin() as conn:
                if self.state.locked_position(conn, projection.name) != current:
                    return None
                apply_events(projection, conn, events)
                self.state.advance(conn, projection.name, reached)
        except HandlerFailed as failed:
            raise Stopped(self._stop_at(projection, current, events, failed)) from None
        return len(events)

    def _stop_at(
        self,
        projection: Projection,
        current: int,
        events: list[tuple[Any, int]],
        failed: HandlerFailed,
    ) -> int:
        """Commit the events before the failed one, and the failure, in one transaction."""
        before = [(e, p) for e, p in events if p < failed.position]
        failure = Failure.of(projection.name, failed.position, failed.topic, failed.error)
        try:
            with self.store.writer.begin() as conn:
                if self.state.locked_position(conn, projection.name) != current:
                    return 0  # another runner got here first; it records what it sees
                apply_events(projection, conn, before)
                self.state.advance(conn, projection.name, failed.position - 1)
                self.state.record_failure(conn, failure)
        except HandlerFailed:  # the events before it fail too when applied alone
            before = []
            with self.store.writer.begin() as conn:
                self.state.record_failure(conn, failure)
        log.error(
            "projection %s stopped at position %s (%s): %s: %s; after a fix: "
            "`mhg projections retry NAME`, or `rebuild NAME`",
            *(projection.name, failure.position, failure.topic),
            *(failure.error_type, failure.message),
        )
        return len(before)

    def retry(self, name: str, progress: Progress | None = None) -> int:
        """Forget a projection's failure and apply from the event it stopped at."""
        projection = self.named(name)
        with self._lock:
            with self.store.writer.begin() as conn:
                self.state.clear_failure(conn, name)
            return self._catch_up(projection, progress)

    def rebuild_one(self, name: str, progress: Progress | None = None) -> int:
        """Drop one projection's tables, create them as defined now, replay the log into them."""
        projection = self.named(name)
        with self._lock:
            self.reset([projection])
            return self._catch_up(projection, progress)

    def reset(self, projections: Sequence[Projection]) -> None:
        """Drop and recreate the projections' tables at position 0, with their fingerprints."""
        with self.store.writer.begin() as conn:
            for projection in projections:
                for table in reversed(projection.tables):
                    table.drop(conn, checkfirst=True)
                for table in projection.tables:
                    table.create(conn)
                self.state.locked_position(conn, projection.name)
                self.state.advance(conn, projection.name, 0)
                self.state.clear_failure(conn, projection.name)
                self.state.set_fingerprint(conn, projection.name, fingerprint(projection))

    def rebuild(self) -> int:
        """Empty every read model and replay the whole log into it."""
        with self._lock, self.store.writer.begin() as conn:
            for projection in self.projections:
                for table in projection.tables:
                    conn.execute(table.delete())
                self.state.advance(conn, projection.name, 0)
                self.state.clear_failure(conn, projection.name)
        return self.catch_up()

    def rebuild_changed(self) -> list[str]:
        """At startup: rebuild each projection whose schema fingerprint is not the stored one.

        A fresh store (nothing applied yet) just records the fingerprints. Returns the
        names of the projections rebuilt.
        """
        with self.store.reader.connect() as conn:
            changed, fresh = schema_changes(
                self.projections, self.state.fingerprints(conn), self.state.positions(conn)
            )
        if fresh:
            with self.store.writer.begin() as conn:
                self.state.set_fingerprints(conn, fresh)
        if changed:
            self.reset(changed)
            with self._lock:
                for projection in changed:
                    self._catch_up(projection)
        return [p.name for p in changed]
