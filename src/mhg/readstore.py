"""The SQLAlchemy side of a service's store: read models, their tracking, idempotency keys.

On PostgreSQL it lives in the service's database (and schema) beside the event log.
On SQLite it has a file of its own beside the log's (`x.sqlite` -> `x.read.sqlite`):
SQLite has one write lock per file, and sharing it made every command wait behind the
projections. A projection's rows and its position still commit together, in that file.
Writes begin IMMEDIATE so two writers never deadlock; reads see WAL snapshots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

from mhg.eventstore import StoreLocation
from mhg.storebounds import attempt_seconds, contention_seconds, postgres_connect_args


class ReadStore:
    def __init__(self, location: StoreLocation, metadata: MetaData) -> None:
        self.location = location
        self.metadata = metadata
        if location.is_sqlite:
            self.reader = _sqlite_engine(location, immediate=False)
            self.writer = _sqlite_engine(location, immediate=True)
        else:
            self.reader = create_engine(
                location.url,
                connect_args=postgres_connect_args(location.timeout, location.schema),
                pool_size=10,
                pool_timeout=attempt_seconds(location.timeout),
                pool_pre_ping=True,
            )
            self.writer = self.reader

    def create_tables(self) -> None:
        if self.location.schema and not self.location.is_sqlite:
            with self.writer.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.location.schema}"'))
        with self.writer.begin() as conn:
            self.metadata.create_all(conn)

    def ping(self) -> None:
        with self.reader.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()


def read_model_url(location: StoreLocation) -> URL:
    """Where a SQLite store keeps its read models: a file beside the event log's."""
    path = Path(str(location.url.database))
    return location.url.set(database=str(path.with_name(f"{path.stem}.read{path.suffix}")))


def _sqlite_engine(location: StoreLocation, *, immediate: bool) -> Engine:
    busy = contention_seconds(location.timeout)  # a lock held by this service's writers
    engine = create_engine(
        read_model_url(location),
        connect_args={"timeout": busy, "check_same_thread": False},
        pool_timeout=location.timeout,
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={busy * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def ensure_schema(location: StoreLocation) -> None:
    """Create the PostgreSQL schema a service's URL names, before the event store needs it."""
    if location.is_sqlite or not location.schema:
        return
    engine = create_engine(location.url, connect_args=postgres_connect_args(location.timeout))
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"'))
    finally:
        engine.dispose()
