"""The event store of a service: the `eventsourcing` library, configured from one URL.

`sqlite:///path` selects the library's SQLite recorder (the zero set-up default) and
`postgresql+psycopg://user@host:port/db?schema=name` its PostgreSQL recorder. Both are
process recorders, so a follower can store the position of a consumed message in the
same transaction as the events it caused (see docs/adr/0001 and 0002).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Notification,
    ProcessRecorder,
    Recording,
    Tracking,
    Transcoding,
)
from eventsourcing.postgres import PostgresFactory
from sqlalchemy.engine import URL, make_url

from mhg.errors import ConcurrentUpdate, NotFound, StaleVersion
from mhg.freshness import note_written
from mhg.groupcommit import RECORDER_TOPIC
from mhg.memorystore import in_memory, sqlite_filename
from mhg.meta import Meta
from mhg.patient_fields import PatientSealing
from mhg.received import (
    ReceivedMessage,
    SignatureSeen,
    receipt_for,
    signature_seen,
    subscription_of,
)
from mhg.signing import TrustedKeys
from mhg.storebounds import (
    DEFAULT_STORE_TIMEOUT,
    attempt_seconds,
    contention_seconds,
    postgres_connect_args,
)


class MetaAsDict(Transcoding):
    type = Meta
    name = "meta"

    def encode(self, obj: Meta) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, Any]) -> Meta:
        return Meta.from_dict(data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


SQLITE_POOL = 15  # the library's SQLite pool: 5 connections and 10 overflow, fixed
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 10


class UnsupportedDatabaseURL(ValueError):
    pass


@dataclass(frozen=True)
class StoreLocation:
    """Where a service keeps its events and read models."""

    url: URL
    schema: str | None
    timeout: float = DEFAULT_STORE_TIMEOUT  # seconds a store call may take (storebounds)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def in_memory(self) -> bool:
        """A SQLite store in this process's memory (`mhg.memorystore`), not a file."""
        return in_memory(self.url)

    @property
    def sqlalchemy_url(self) -> URL:
        return self.url

    @classmethod
    def parse(cls, database_url: str, timeout: float = DEFAULT_STORE_TIMEOUT) -> StoreLocation:
        url = make_url(database_url)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            msg = f"unsupported database URL scheme {url.drivername!r}: use sqlite or postgresql"
            raise UnsupportedDatabaseURL(msg)
        schema = url.query.get("schema")
        if isinstance(schema, tuple):
            schema = schema[0]
        url = url.difference_update_query(["schema"])
        if backend == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        elif not url.database or url.database == ":memory:":
            msg = "an SQLite store needs a file path: sqlite:///var/service.sqlite"
            raise UnsupportedDatabaseURL(msg)
        return cls(url=url, schema=schema, timeout=timeout)

    @property
    def connections(self) -> int:
        """How many store connections the library's pool holds (pool size plus overflow)."""
        return SQLITE_POOL if self.is_sqlite else POSTGRES_POOL_SIZE + POSTGRES_MAX_OVERFLOW

    def eventsourcing_env(self) -> dict[str, str]:
        if self.is_sqlite:
            if not self.in_memory:
                Path(str(self.url.database)).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": sqlite_filename(self.url),
                "SQLITE_LOCK_TIMEOUT": str(contention_seconds(self.timeout)),
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(self.url.database or "postgres"),
            "POSTGRES_HOST": str(self.url.host or "127.0.0.1"),
            "POSTGRES_PORT": str(self.url.port or 5432),
            "POSTGRES_USER": str(self.url.username or "postgres"),
            "POSTGRES_PASSWORD": str(self.url.password or ""),
            "POSTGRES_SCHEMA": self.schema or "public",
            "POSTGRES_POOL_SIZE": str(POSTGRES_POOL_SIZE),
            "POSTGRES_MAX_OVERFLOW": str(POSTGRES_MAX_OVERFLOW),
            # each attempt waits this long for a pooled connection (the store is unreachable)
            "POSTGRES_CONNECT_TIMEOUT": str(attempt_seconds(self.timeout)),
            # and this long behind the service's own writers for the log's lock
            "POSTGRES_LOCK_TIMEOUT": str(contention_seconds(self.timeout)),
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(contention_seconds(self.timeout)),
            "POSTGRES_PRE_PING": "y",
            "PROCESS_RECORDER_TOPIC": RECORDER_TOPIC,
        }


class AlreadyApplied(Exception):
    """A contract message at this position was applied before (duplicate delivery)."""


A = TypeVar("A", bound=Aggregate)


class ServiceApplication(Application[UUID]):
    """Base for the Application of each context: process recorder, our transcodings."""

    log_section_size = 1000
    peer_keys: TrustedKeys | None = None
    """The peer's public keys (set by the runtime): kept messages are re-verified with them."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self.patient_sealing = PatientSealing()  # its key store is set by the runtime
        super().__init__(env=location.eventsourcing_env())

    def received_signature(self, producer: str, position: int) -> SignatureSeen | None:
        """The signature of the message kept for a producer's feed position, checked now."""
        received_id = ReceivedMessage.create_id(subscription_of(producer), position)
        try:
            received: ReceivedMessage = self.repository.get(received_id)
        except AggregateNotFoundError:
            return None
        return signature_seen(received, self.peer_keys)

    def construct_recorder(self) -> ProcessRecorder:
        factory = self.factory
        if isinstance(factory, PostgresFactory):  # bound connecting and statements (storebounds)
            kwargs = factory.datastore.pool.kwargs
            if isinstance(kwargs, dict):  # the library builds a dict; it connects lazily
                kwargs.update(postgres_connect_args(self.location.timeout))
        return factory.process_recorder()

    @property
    def process_recorder(self) -> ProcessRecorder:
        recorder = self.recorder
        if not isinstance(
            recorder, ProcessRecorder
        ):  # pragma: no cover - set in construct_recorder
            raise TypeError(recorder)
        return recorder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(MetaAsDict())
        transcoder.register(DateAsISO())
        transcoder.register(self.patient_sealing)

    def record(
        self,
        *aggregates: Aggregate | None,
        tracking: Tracking | None = None,
    ) -> None:
        """Save the aggregates' new events, and the consumed position when given, atomically.

        The library's save path (`_record`, then snapshots and `_notify`, as
        `Application.save`), with the tracking position it takes only in a
        `ProcessingEvent`. With a tracking position, the signed message being received at
        it (if any) is saved too, as a `ReceivedMessage`, in the same transaction
        (`mhg.received`)."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking=tracking)
        processing_event.collect_events(*aggregates)
        receipt = receipt_for(tracking)
        if receipt is not None:  # the signed message these effects rest on, kept with them
            processing_event.collect_events(ReceivedMessage.from_receipt(receipt))
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        if recordings:
            note_written(recordings[-1].notification.id)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Put the events (and tracking), naming a lost race in our own terms."""
        try:
            return super()._record(processing_event)
        except IntegrityError:
            tracking = processing_event.tracking
            if tracking is not None and self.process_recorder.has_tracking_id(
                tracking.application_name, tracking.notification_id
            ):
                raise AlreadyApplied(tracking) from None
            raise ConcurrentUpdate("the resource changed while this request was handled") from None

    def load(self, aggregate_id: UUID, missing: type[NotFound], detail: str) -> Any:
        """The aggregate, or the context's own not-found error (never the library's)."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise missing(detail) from None

    def load_as(self, kind: type[A], aggregate_id: UUID, missing: type[NotFound], detail: str) -> A:
        """The aggregate if it is a `kind`; an id of another kind of record is not found either."""
        found = self.load(aggregate_id, missing, detail)
        if not isinstance(found, kind):
            raise missing(detail)
        return found

    def skip_message(self, tracking: Tracking) -> None:
        """Advance past a contract message this service has no use for, durably."""
        self.record(tracking=tracking)

    @staticmethod
    def check_version(aggregate: MutableOrImmutableAggregate[UUID], expected: int | None) -> None:
        """Refuse an update made against a version the caller no longer holds (If-Match)."""
        if expected is not None and aggregate.version != expected:
            raise StaleVersion(
                f"you sent version {expected}; the current version is {aggregate.version}",
                current_version=aggregate.version,
            )

    def change(
        self, aggregate: A, expected_version: int | None, decide: Callable[[A], object]
    ) -> A:
        """The shape of a command on one aggregate: refuse a version the caller no longer
        holds, let the aggregate decide, save what it decided."""
        self.check_version(aggregate, expected_version)
        decide(aggregate)
        self.record(aggregate)
        return aggregate

    def consumed_position(self, subscription: str) -> int:
        return self.process_recorder.max_tracking_id(subscription) or 0

    def head_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def decode(self, notification: Notification) -> DomainEventProtocol[UUID]:
        return self.mapper.to_domain_event(notification)
