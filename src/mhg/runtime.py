"""One running service: its application, read store, projections, feed and follower.

Built in the app's lifespan (never at import), so that generating the OpenAPI
document or importing a module touches no database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
from anyio import to_thread
from eventsourcing.persistence import PersistenceError
from sqlalchemy import MetaData
from sqlalchemy.exc import SQLAlchemyError

from contracts import Envelope
from mhg import tokenkeys, witness
from mhg.audit import append_only
from mhg.audit.heads import Head, signed, signing_key
from mhg.audit.ledger import Ledger
from mhg.audit.sealing import seal_pending
from mhg.errors import ConcurrentUpdate
from mhg.eventstore import ServiceApplication, StoreLocation
from mhg.feed import FeedPublisher, Translator
from mhg.feed_follower import FeedFollower
from mhg.freshness import Watermark
from mhg.idempotency import IdempotencyStore
from mhg.identity import service_token_factory
from mhg.ownership import CHORES, FOLLOWER, PROJECTIONS, SEALER, Ownership, schema_owner
from mhg.patient_keys import StoredPatientKeys
from mhg.projection import Projection
from mhg.projection_runner import ProjectionRunner
from mhg.readstore import ReadStore, ensure_schema
from mhg.settings import ServiceSettings
from mhg.signing import SigningKey, TrustedKeys
from mhg.witness import Witness

log = logging.getLogger(__name__)

PROJECTED_POLL = 0.02  # seconds between looks at another process's projection positions


def settings_signing_key(settings: ServiceSettings) -> SigningKey | None:
    return SigningKey.from_text(settings.signing_key) if settings.signing_key else None


@dataclass
class ServiceParts:
    """What a context contributes; the runtime wires it the same way for both."""

    service: str
    application: Callable[[StoreLocation], ServiceApplication]
    metadata: Callable[[], MetaData]
    projections: Callable[[MetaData], Sequence[Projection]]
    outbound: Mapping[type[Any], Translator]
    subscription: str
    inbound: Callable[[Any], Callable[[Envelope], None]]
    peer_decision_events: tuple[type[Any], ...] = ()
    """Events only a message of the peer creates (`mhg audit verify-decisions` checks them)."""
    chores: Callable[[Any], Callable[[], None]] | None = None
    """The context's own periodic work, given its application (e.g. lapsing credentials)."""


@dataclass
class ServiceRuntime:
    parts: ServiceParts
    settings: ServiceSettings
    application: ServiceApplication
    store: ReadStore
    projections: ProjectionRunner
    publisher: FeedPublisher
    idempotency: IdempotencyStore
    follower: FeedFollower
    ledger: Ledger
    ownership: Ownership
    """The background work this process does now (one process of several: mhg.ownership)."""
    head_recorded_at: int = 0
    """Where this process last recorded its head in its own log (0: not yet)."""
    store_errors: dict[str, int] = field(default_factory=dict)
    """Store errors seen by background work and readiness, by component (for /metrics)."""
    watermark: Watermark = field(default_factory=Watermark)
    """How far this process's projections have all reached (reads follow writes, ADR 0023)."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _chores: Callable[[], None] | None = None

    @classmethod
    def build(
        cls, parts: ServiceParts, settings: ServiceSettings, *, rebuild_changed: bool = True
    ) -> ServiceRuntime:
        """Open the stores; rebuild from the log each projection whose schema changed.

        Tables are created (and changed read models rebuilt) by one process at a time:
        several processes of a service may start at once on one store (mhg.ownership).
        """
        location = StoreLocation.parse(settings.database_url, settings.store_timeout)
        with schema_owner(location):
            ensure_schema(location)
            application = parts.application(location)
            application.peer_keys = TrustedKeys.parse(settings.peer_public_keys)
            metadata = parts.metadata()
            store = ReadStore(location, metadata)
            store.create_tables()
            StoredPatientKeys.open(application.patient_sealing, store, settings)
            runner = ProjectionRunner(application, store, parts.projections(metadata))
            if rebuild_changed:
                runner.rebuild_changed()
            ledger = Ledger(location, application.name)
            ledger.create()
            append_only.install(ledger)
        store_errors: dict[str, int] = {}
        ownership = Ownership(location, parts.service, store_errors)
        follower = FeedFollower(
            app=application,
            subscription=parts.subscription,
            feed_url=settings.peer_feed_url,
            token=service_token_factory(
                lambda: tokenkeys.load(settings.token_keys_file), settings, parts.service
            ),
            apply=Witness(
                application, parts.subscription, parts.service, parts.inbound(application)
            ),
            trusted=application.peer_keys,
            consumer=parts.service,
            poll_interval=settings.poll_interval,
            holds=lambda: ownership.holds(FOLLOWER),
        )
        return cls(
            ledger=ledger,
            ownership=ownership,
            store_errors=store_errors,
            parts=parts,
            settings=settings,
            application=application,
            store=store,
            projections=runner,
            publisher=FeedPublisher(
                application,
                parts.service,
                {**parts.outbound, **witness.OUTBOUND},
                key=settings_signing_key(settings),
            ),
            idempotency=IdempotencyStore(store),
            follower=follower,
        )

    @property
    def request_threads(self) -> int:
        """Request threads the store can serve at once, leaving one connection per worker
        (not the sealer's: it reads the log through the audit ledger's own engine)."""
        chores = self.settings.run_chores and self.parts.chores is not None
        background = (
            int(self.settings.run_projections) + int(self.settings.follow_peer) + int(chores) + 1
        )
        return max(self.application.location.connections - background, 2)

    def run_chores(self) -> None:
        """Do the context's periodic work once (the background thread calls this)."""
        if self._chores is None and self.parts.chores is not None:
            self._chores = self.parts.chores(self.application)
        if self._chores is not None:
            self._chores()

    def _chore_loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.ownership.holds(CHORES):
                    self.run_chores()
            except (PersistenceError, SQLAlchemyError) as error:
                log.warning("chores: store error %s; retrying", type(error).__name__)
            self._stop.wait(self.settings.poll_interval)

    def start(self) -> None:
        if self.settings.run_chores and self.parts.chores is not None:
            thread = threading.Thread(target=self._chore_loop, name="chores", daemon=True)
            thread.start()
            self._threads.append(thread)
        if self.settings.run_projections:
            thread = threading.Thread(target=self._project, name="projections", daemon=True)
            thread.start()
            self._threads.append(thread)
        if self.settings.seal:
            thread = threading.Thread(target=self._seal, name="sealer", daemon=True)
            thread.start()
            self._threads.append(thread)
        if self.settings.follow_peer:
            self.follower.start()

    def _project(self) -> None:
        """Catch up every poll interval, or at once when an answer waits for a position."""
        while not self._stop.is_set():
            try:
                if self.ownership.holds(PROJECTIONS):
                    head = self.application.head_position()
                    self.projections.catch_up(head=head)
                    self.watermark.advance(head)
            except (PersistenceError, SQLAlchemyError) as error:
                self.count_store_error("projections")
                log.warning("projections: store error %s; retrying", type(error).__name__)
            self._wake.wait(self.settings.poll_interval)
            self._wake.clear()

    async def projected(self, position: int) -> bool:
        """Wait (up to `read_after_write_wait`) until every running projection has reached
        `position`: this process's own projection thread, woken now, or the process that
        runs them, watched through their stored positions."""
        wait = self.settings.read_after_write_wait
        if PROJECTIONS in self.ownership.held:  # as of its last tick; asks no store
            self._wake.set()
            return await self.watermark.reach(position, wait)
        deadline = time.monotonic() + wait
        while True:
            try:
                statuses = await to_thread.run_sync(self.projections.statuses)
            except (PersistenceError, SQLAlchemyError) as error:
                # The command is saved: its answer goes out, unconfirmed, as after a wait
                # that ran out; refusing it would tell the client it was not.
                self.count_store_error("read-after-write")
                log.warning("read-after-write wait: store error %s", type(error).__name__)
                return False
            if (
                min((s.position for s in statuses if s.failure is None), default=position)
                >= position
            ):
                return True
            if time.monotonic() >= deadline:
                return False
            await anyio.sleep(PROJECTED_POLL)

    def count_store_error(self, component: str) -> None:
        self.store_errors[component] = self.store_errors.get(component, 0) + 1

    def dead_workers(self) -> list[str]:
        """Background work that should run and has stopped (a bug: its traceback is logged)."""
        dead = [thread.name for thread in self._threads if not thread.is_alive()]
        if self.settings.follow_peer and not self.follower.alive:
            dead.append(f"follower of {self.parts.subscription}")
        return dead

    def _seal(self) -> None:
        last_head = time.monotonic()
        while not self._stop.is_set():
            try:
                if self.ownership.holds(SEALER):
                    seal_pending(self.ledger)
                    if time.monotonic() - last_head >= self.settings.head_interval:
                        last_head = time.monotonic()
                        self.publish_head()
            except (SQLAlchemyError, PersistenceError) as error:
                self.count_store_error("sealer")
                log.warning("sealer: store error %s; retrying", type(error).__name__)
            self._stop.wait(self.settings.poll_interval)

    def head(self) -> dict[str, Any] | None:
        """The chain head as served and signed (None before the first seal)."""
        last = self.ledger.last_seal()
        if last is None:
            return None
        head = Head(
            service=self.parts.service,
            position=last.position,
            link=last.link.hex(),
            sealed_at=self.ledger.sealed_at(last),
        )
        key = self.settings.audit_signing_key
        if key:
            return signed(head, signing_key(key))
        own = settings_signing_key(self.settings)
        return signed(head, own.private if own else None)

    def publish_head(self) -> bool:
        """Record the signed head for the peer to witness, if anything was sealed since the
        last one (the head's own record is sealed too, and must not start another)."""
        head = self.head()
        if head is None or "signature" not in head or head["position"] <= self.head_recorded_at:
            return False
        try:
            self.head_recorded_at = witness.record_head(self.application, head)
        except ConcurrentUpdate:  # another process (or an earlier run) recorded this head
            self.head_recorded_at = int(head["position"])
            return False
        return True

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.follower.stop()
        for thread in self._threads:
            thread.join(timeout=10)
        self.ownership.release()
        self.store.dispose()
        self.ledger.dispose()
        self.application.close()
