"""Where the chain lives: the event log's rows and the seals beside them.

Both are read with plain SQL on the service's event database, never through the
event store's API, so that the verifier sees exactly what is stored. On PostgreSQL
the seals sit in the log's schema. On SQLite they have a file of their own beside
the log's (`x.sqlite` -> `x.audit.sqlite`): SQLite has one write lock per file, and a
sealer sharing it with the event writer cut command throughput to a quarter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    LargeBinary,
    MetaData,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import ConnectionPoolEntry

from mhg.audit.chain import Record, originator_bytes
from mhg.columns import UTCDateTime
from mhg.eventstore import StoreLocation
from mhg.storebounds import postgres_connect_args

FIRST = -(2**63)  # before any position a record can have
LAST = 2**63 - 1  # after any
BATCH = 20_000

metadata = MetaData()
seals = Table(
    "audit_seals",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("digest", LargeBinary(32), nullable=False),
    Column("link", LargeBinary(32), nullable=False),
    Column("sealed_at", UTCDateTime, nullable=False),
)


@dataclass(frozen=True)
class Seal:
    position: int
    digest: bytes
    link: bytes
    sealed_at: datetime | None = None


def events_table(location: StoreLocation, application_name: str) -> str:
    """The library names its PostgreSQL table after the application, its SQLite table not."""
    return "stored_events" if location.is_sqlite else f"{application_name.lower()}_events"


def seals_url(location: StoreLocation) -> URL:
    if not location.is_sqlite:
        return location.url
    path = Path(str(location.url.database))
    return location.url.set(database=str(path.with_name(f"{path.stem}.audit{path.suffix}")))


def _engine(location: StoreLocation, url: URL) -> Engine:
    if location.is_sqlite:
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    connect_args = postgres_connect_args(location.timeout, location.schema, statements=False)
    return create_engine(url, connect_args=connect_args, pool_size=2, pool_pre_ping=True)


class Ledger:
    """The log's records and their seals, as stored."""

    def __init__(self, location: StoreLocation, application_name: str) -> None:
        self.location = location
        self.log_engine = _engine(location, location.url)
        self.engine = (
            _engine(location, seals_url(location)) if location.is_sqlite else self.log_engine
        )
        self.events_table = events_table(location, application_name)
        self.position_column = "rowid" if location.is_sqlite else "notification_id"
        position, table = self.position_column, self.events_table
        self._records_sql = (
            f"SELECT {position}, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {table} WHERE {position} > :after ORDER BY {position} LIMIT :limit"
        )
        self._span_sql = (
            f"SELECT {position}, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {table} WHERE {position} > :after AND {position} <= :upto "
            f"ORDER BY {position} LIMIT :limit"
        )
        self._count_sql = f"SELECT COUNT(*) FROM {table} WHERE {position} > :after"  # noqa: S608
        self._head_sql = f"SELECT MAX({position}) FROM {table}"  # noqa: S608
        self._seals_sql = (
            "SELECT position, digest, link FROM audit_seals "
            "WHERE position > :after ORDER BY position LIMIT :limit"
        )

    def create(self) -> None:
        metadata.create_all(self.engine)

    def records(self, after: int = FIRST, batch: int = BATCH) -> Iterator[Record]:
        """Every stored record after a position, in log order (read in batches).

        Read through the driver's own cursor: at a hundred thousand records a second,
        SQLAlchemy's row objects would cost more than the hashing.
        """
        to_bytes = originator_bytes
        for rows in self._batches(self.log_engine, self._records_sql, after, batch):
            for position, originator_id, version, topic, state in rows:
                yield Record(position, to_bytes(originator_id), version, topic, bytes(state))

    def seals(self, after: int = FIRST, batch: int = BATCH) -> Iterator[Seal]:
        for rows in self._batches(self.engine, self._seals_sql, after, batch):
            for position, seal_digest, seal_link in rows:
                yield Seal(position, bytes(seal_digest), bytes(seal_link))

    def seal_rows(self, after: int = FIRST, batch: int = BATCH) -> Iterator[Sequence[Any]]:
        """The seals in batches of rows as the driver returns them: position, digest, link."""
        return self._batches(self.engine, self._seals_sql, after, batch)

    def record_rows(self, after: int, upto: int, limit: int) -> Sequence[Any]:
        """At most `limit` stored rows in (after, upto], in log order, as the driver returns
        them: position, aggregate id, version, topic, state (`chain.digests` reads them)."""
        return self._rows(self.log_engine, self._span_sql, after, upto, limit)

    def count_records(self, after: int) -> int:
        return int(self._rows(self.log_engine, self._count_sql, after)[0][0])

    def _driver_sql(self, sql: str) -> str:
        """The driver's own parameter markers for a statement's `?` and named ones."""
        marker = "?" if self.location.is_sqlite else "%s"
        for name in ("?", ":after", ":upto", ":limit"):
            sql = sql.replace(name, marker)
        return sql

    def _rows(self, engine: Engine, sql: str, *parameters: int) -> Sequence[Any]:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self._driver_sql(sql), parameters)
            rows: Sequence[Any] = cursor.fetchall()
            cursor.close()
        finally:
            connection.close()
        return rows

    def _batches(self, engine: Engine, sql: str, after: int, batch: int) -> Iterator[Sequence[Any]]:
        while True:
            rows = self._rows(engine, sql, after, batch)
            if rows:
                yield rows
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    def log_head(self) -> int:
        with self.log_engine.connect() as conn:
            return int(conn.execute(text(self._head_sql)).scalar() or 0)

    def sealed_at(self, seal: Seal) -> str:
        return seal.sealed_at.isoformat() if seal.sealed_at else ""

    def last_seal(self) -> Seal | None:
        query = select(seals).order_by(seals.c.position.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Seal(int(row.position), bytes(row.digest), bytes(row.link), row.sealed_at)

    def seal_at(self, position: int) -> Seal | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(seals).where(seals.c.position == position)).first()
        if row is None:
            return None
        return Seal(int(row.position), bytes(row.digest), bytes(row.link), row.sealed_at)

    def append_seals(self, new: list[tuple[int, bytes, bytes]]) -> None:
        """One insert of many rows, the time bound once as its column stores it: per-row
        parameter processing cost more than the hashing (a duplicate position still raises
        SQLAlchemy's IntegrityError)."""
        statement = (
            "INSERT INTO audit_seals (position, digest, link, sealed_at) VALUES (?, ?, ?, ?)"
        )
        with self.engine.begin() as conn:
            bind = seals.c.sealed_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            now: object = datetime.now(UTC)
            now = bind(now) if bind is not None else now
            conn.exec_driver_sql(self._driver_sql(statement), [(p, d, lk, now) for p, d, lk in new])

    def count_seals(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(seals)).scalar() or 0)

    def dispose(self) -> None:
        self.log_engine.dispose()
        if self.engine is not self.log_engine:
            self.engine.dispose()
