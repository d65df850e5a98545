"""Where the chain lives: the event log's rows and the seal table beside them.

Both are read and written with SQLAlchemy on the service's *event* database (the
SQLite file of the log, or the PostgreSQL schema), never through the event store's
own API, so that the verifier sees exactly what is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
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
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry

from mhg.audit.chain import Record, originator_bytes
from mhg.columns import UTCDateTime
from mhg.eventstore import StoreLocation

FIRST = -(2**63)  # before any position a record can have


def events_table(location: StoreLocation, application_name: str) -> str:
    """The library names its PostgreSQL table after the application, its SQLite table not."""
    return "stored_events" if location.is_sqlite else f"{application_name.lower()}_events"


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
    sealed_at: datetime


def events_engine(location: StoreLocation) -> Engine:
    """An engine on the database that holds the event log itself."""
    if location.is_sqlite:
        engine = create_engine(
            location.url, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    connect_args = {"options": f"-csearch_path={location.schema}"} if location.schema else {}
    return create_engine(location.url, connect_args=connect_args, pool_size=2, pool_pre_ping=True)


class Ledger:
    """The log's records and their seals, as stored."""

    def __init__(self, location: StoreLocation, application_name: str) -> None:
        self.location = location
        self.engine = events_engine(location)
        self.events_table = events_table(location, application_name)
        self.position_column = "rowid" if location.is_sqlite else "notification_id"
        position, table = self.position_column, self.events_table
        self._records_sql = (
            f"SELECT {position}, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {table} WHERE {position} > :after ORDER BY {position} LIMIT :limit"
        )
        self._head_sql = f"SELECT MAX({position}) FROM {table}"  # noqa: S608

    def create(self) -> None:
        metadata.create_all(self.engine)

    def records(self, after: int = FIRST, batch: int = 5000) -> Iterator[Record]:
        """Every stored record after a position, in log order (read in batches)."""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(text(self._records_sql), {"after": after, "limit": batch}).all()
            for position, originator_id, version, topic, state in rows:
                yield Record(
                    int(position),
                    originator_bytes(originator_id),
                    int(version),
                    topic,
                    bytes(state),
                )
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    def log_head(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(self._head_sql)).scalar() or 0)

    def seals(self, after: int = FIRST, batch: int = 5000) -> Iterator[Seal]:
        while True:
            query = (
                select(seals)
                .where(seals.c.position > after)
                .order_by(seals.c.position)
                .limit(batch)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            for row in rows:
                yield Seal(int(row.position), bytes(row.digest), bytes(row.link), row.sealed_at)
            if len(rows) < batch:
                return
            after = int(rows[-1].position)

    def last_seal(self) -> Seal | None:
        query = select(seals).order_by(seals.c.position.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (
            None
            if row is None
            else Seal(int(row.position), bytes(row.digest), bytes(row.link), row.sealed_at)
        )

    def seal_at(self, position: int) -> Seal | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(seals).where(seals.c.position == position)).first()
        return (
            None
            if row is None
            else Seal(int(row.position), bytes(row.digest), bytes(row.link), row.sealed_at)
        )

    def append_seals(self, new: list[tuple[int, bytes, bytes]]) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                seals.insert(),
                [{"position": p, "digest": d, "link": lk, "sealed_at": now} for p, d, lk in new],
            )

    def count_seals(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(seals)).scalar() or 0)

    def dispose(self) -> None:
        self.engine.dispose()
