"""The two ends of a replay's log: the source read in order, and the copy written beside.

`LogSource` only ever reads (a read-only SQLite connection, or a read-only PostgreSQL
transaction); `LogCopy` writes the events kept into a fresh SQLite log (`mhg.replay`).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine

from mhg.eventstore import StoreLocation

CACHE_KIB = 256 * 1024  # SQLite page cache while replaying: indexes of big tables fit

Row = tuple[int, str, int, str, bytes]
"""position, originator id (as the library's SQLite layout keeps it: hex), version, topic, state"""


class ReplayRefused(ValueError):
    """The replay cannot start: a source that is not there, or a target that is not fresh."""


class LogSource:
    """A service's stored events, read in log order without writing anything."""

    def __init__(self, location: StoreLocation, application_name: str) -> None:
        self.location = location
        self.path: Path | None = None  # a SQLite log's file
        if location.is_sqlite:
            path = self.path = Path(str(location.url.database)).resolve()
            if not path.is_file():
                raise ReplayRefused(f"there is no event log at {path}")
            self._sqlite = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            self._select = (
                "SELECT rowid, originator_id, originator_version, topic, state "
                "FROM stored_events WHERE rowid > ? ORDER BY rowid LIMIT ?"
            )
            self._head = "SELECT MAX(rowid) FROM stored_events"
            return
        options = "-c default_transaction_read_only=on"
        if location.schema:
            options += f" -csearch_path={location.schema}"
        self._engine = create_engine(location.url, connect_args={"options": options})
        table = f"{application_name.lower()}_events"
        self._select = (
            "SELECT notification_id, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        )
        self._head = f"SELECT MAX(notification_id) FROM {table}"  # noqa: S608

    def head(self) -> int:
        if self.location.is_sqlite:
            return int(self._sqlite.execute(self._head).fetchone()[0] or 0)
        with self._engine.connect() as conn:
            return int(conn.exec_driver_sql(self._head).scalar() or 0)

    def rows(self, after: int, limit: int) -> list[Row]:
        if self.location.is_sqlite:
            found: list[Row] = self._sqlite.execute(self._select, (after, limit)).fetchall()
            return found
        with self._engine.connect() as conn:
            rows = conn.exec_driver_sql(self._select, (after, limit)).all()
        return [(p, o.hex, v, t, bytes(s)) for p, o, v, t, s in rows]

    def close(self) -> None:
        if self.location.is_sqlite:
            self._sqlite.close()
        else:
            self._engine.dispose()


class LogCopy:
    """The copy of the log, written by a thread of its own while the next batch is replayed.

    From a SQLite source a batch kept whole is copied by SQLite itself (`INSERT ...
    SELECT` from the source, attached read-only): one statement, run without the GIL,
    so on a second core the copy costs the replay almost no time. Other batches (a
    PostgreSQL source, events after the moment left out) are inserted row by row
    while the replay waits, as if it wrote them itself. Batches are written in order,
    each in a transaction; at most `AHEAD` wait.
    """

    AHEAD = 2
    INSERT = (
        "INSERT INTO main.stored_events (rowid, originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?, ?)"
    )
    COPY = (
        "INSERT INTO main.stored_events (rowid, originator_id, originator_version, topic, state) "
        "SELECT rowid, originator_id, originator_version, topic, state FROM source.stored_events "
        "WHERE rowid > ? AND rowid <= ? ORDER BY rowid"
    )

    def __init__(self, path: Path, source: Path | None) -> None:
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-log-copy")
        self._waiting: deque[Future[None]] = deque()
        self._attached = source is not None
        try:
            self._conn = self._writer.submit(self._open, path, source).result()
        except BaseException:
            self._writer.shutdown()
            raise

    @staticmethod
    def _open(path: Path, source: Path | None) -> sqlite3.Connection:
        conn = sqlite3.connect(path.resolve().as_uri(), uri=True)  # used by the writer only
        conn.execute("PRAGMA synchronous=OFF")  # a fresh copy: a crash means replaying again
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if source is not None:
            conn.execute("ATTACH DATABASE ? AS source", (f"{source.as_uri()}?mode=ro",))
        return conn

    def append(self, rows: list[Row], scanned: list[Row]) -> None:
        """Copy `rows`, the events kept of those `scanned` (in log order)."""
        while len(self._waiting) >= self.AHEAD or (self._waiting and self._waiting[0].done()):
            self._waiting.popleft().result()  # raises what the writer raised
        if self._attached and rows and len(rows) == len(scanned):
            span = (scanned[0][0] - 1, scanned[-1][0])  # every event of the source in it
            self._waiting.append(self._writer.submit(self._copy, span))
        elif rows:  # row by row: the GIL changes hands per row, so the replay waits
            self._waiting.append(self._writer.submit(self._write, rows))
            self.finish()

    def _copy(self, span: tuple[int, int]) -> None:
        self._conn.execute(self.COPY, span)
        self._conn.commit()

    def _write(self, rows: list[Row]) -> None:
        self._conn.executemany(self.INSERT, rows)
        self._conn.commit()

    def finish(self) -> None:
        """Wait until every batch is stored."""
        while self._waiting:
            self._waiting.popleft().result()

    def close(self) -> None:
        self._writer.submit(self._conn.close)
        self._writer.shutdown(wait=True, cancel_futures=True)
