"""Running a replay's statements in bulk, without changing how projections are written.

Projections write one statement per event, and building, compiling and executing a
statement costs SQLAlchemy ~30-200 µs, far more than SQLite takes to store the row. A
replay builds its read models from zero in one transaction per batch, so it can do
better without any projection knowing:

- the replay's own tables (a metadata built for the replay only) answer `insert()`
  with an `InsertBuilder`, whose `.values(**row)` just keeps the row (`RowInsert`);
- the replay hands projections a `BufferedConnection`, which queues those rows and
  stores consecutive rows of a table with one `executemany` of a statement compiled
  once, applying the same bind processors SQLAlchemy would;
- a statement built once and executed with a dict of plain values (`conn.execute(
  by_id, {"b_id": ..., "status": ...})`, an insert, update or delete without RETURNING)
  is queued too, compiled once per set of keys; it answers a `QueuedResult`, whose
  `rowcount` (when read) first runs the queue, and which is `pending` until then (its
  values are read when the queue runs);
- the queue runs in order through the driver's own cursor, inside the connection's
  transaction;
- anything else (a select, a statement built per event, an insert with SQL
  expressions, a result being read) first flushes the queue and then runs as usual, so
  every statement sees the rows before it, in log order;
- a replay builds its non-unique indexes after the rows, or before a statement that
  may read through them (`mhg.replay_indexes`).

A replay also keeps one `memo` per owner for all its batches (`mhg.projection.
batch_memo`): what a projection wrote or read before, so that it need not select it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, Table, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import UpdateBase

from mhg.replay_indexes import Deferred, build_indexes
from mhg.replay_plans import NOTHING, Plan, compile_insert, compile_statement

# Values a row can hold as they are (anything else is checked for being SQL).
PLAIN_TYPES = frozenset(
    {str, int, float, bool, type(None), bytes, dict, list, UUID, datetime, date, Decimal}
)


def _plain(row: dict[Any, Any]) -> bool:
    """A row of column names and plain values: nothing SQL has to compute."""
    for key, value in row.items():
        if type(key) is not str:
            return False
        if type(value) in PLAIN_TYPES:
            continue
        if isinstance(value, ClauseElement) or hasattr(value, "__clause_element__"):
            return False
    return True


class RowInsert:
    """`insert().values(**row)` of a replayed table: one row, to be stored in bulk."""

    __slots__ = ("row", "table")

    def __init__(self, table: Table, row: dict[str, Any]) -> None:
        self.table = table
        self.row = row

    def __getattr__(self, name: str) -> Any:
        # Anything but executing it (returning(), a dialect's on-conflict clause, ...)
        # gets the statement SQLAlchemy would have built.
        return getattr(insert(self.table).values(self.row), name)


class InsertBuilder:
    """What a replayed table's `insert()` returns: plain rows become `RowInsert`s."""

    __slots__ = ("table",)

    def __init__(self, table: Table) -> None:
        self.table = table

    def __call__(self) -> InsertBuilder:
        return self

    def values(self, *args: Any, **kwargs: Any) -> Any:
        if not args:
            row = kwargs
        elif len(args) == 1 and not kwargs and isinstance(args[0], dict):
            row = args[0]
        else:
            return insert(self.table).values(*args, **kwargs)
        if _plain(row):
            return RowInsert(self.table, row)
        return insert(self.table).values(row)

    def __getattr__(self, name: str) -> Any:
        return getattr(insert(self.table), name)


def buffer_inserts(metadata: MetaData) -> None:
    """Make this metadata's tables queue plain inserts (for a replay's own metadata only)."""
    for table in metadata.tables.values():
        setattr(table, "insert", InsertBuilder(table))  # noqa: B010 - shadows the method


class QueuedResult:
    """What a queued statement answers: its rowcount, once the queue has run."""

    __slots__ = ("_connection", "_rowcount")

    def __init__(self, connection: BufferedConnection) -> None:
        self._connection = connection
        self._rowcount: int | None = None

    @property
    def rowcount(self) -> int:
        if self._rowcount is None:
            self._connection.flush()
        return int(self._rowcount or 0)

    @property
    def pending(self) -> bool:
        """Not run yet: its values are read when the queue runs, so they may still change."""
        return self._rowcount is None

    def close(self) -> None:
        """Nothing to release: the statement returns no rows."""


Queued = tuple[Plan, dict[str, Any], QueuedResult | None]
"""A queued row or statement: its compiled plan, its values, its result if it has one."""


class BufferedConnection:
    """A Connection for projections that stores queued rows in bulk, in order.

    `memos` (one dict per owner) outlives the batch: a replay passes the same to each.
    """

    def __init__(
        self,
        conn: Connection,
        memos: dict[object, dict[Any, Any]] | None = None,
        deferred: Deferred | None = None,
    ) -> None:
        self.conn = conn
        self.memos: dict[object, dict[Any, Any]] = {} if memos is None else memos
        self.deferred: Deferred = {} if deferred is None else deferred
        self.pending: list[Queued] = []
        self._plans: dict[tuple[Any, tuple[str, ...]], Plan | None] = {}
        self._cursor: Any = None

    def memo(self, owner: object) -> dict[Any, Any]:
        """The dict `owner` keeps what it knows in, for this replay (`batch_memo`)."""
        found = self.memos.get(owner)
        if found is None:
            found = self.memos[owner] = {}
        return found

    def execute(self, statement: Any, parameters: Any = None, **options: Any) -> Any:
        kind = type(statement)
        if kind is RowInsert and parameters is None and not options:
            plan = self._plan(statement.table, tuple(statement.row))
            if plan is not None:
                self.pending.append((plan, statement.row, None))
                return None
            statement = insert(statement.table).values(statement.row)
        elif kind is InsertBuilder and not options:
            if type(parameters) is dict:
                plan = self._plan(statement.table, tuple(parameters))
                if plan is not None:
                    self.pending.append((plan, parameters, None))
                    return None
            elif parameters and all(type(r) is dict for r in parameters):
                plans = [self._plan(statement.table, tuple(r)) for r in parameters]
                found = [plan for plan in plans if plan is not None]
                if len(found) == len(plans):
                    for plan, r in zip(found, parameters, strict=True):
                        self.pending.append((plan, r, None))
                    return None
            statement = insert(statement.table)
        elif type(parameters) is dict and not options and isinstance(statement, UpdateBase):
            plan = self._plan(statement, tuple(parameters))
            if plan is not None:
                if self.deferred and plan.needs != NOTHING:
                    self._build(plan.needs)
                result = QueuedResult(self)
                self.pending.append((plan, parameters, result))
                return result
        self.flush()  # SQLAlchemy runs it (and `build_when_named` the indexes it names)
        return self.conn.execute(statement, parameters, **options)

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self.conn, name)

    def _build(self, tables: frozenset[str] | None) -> None:
        """Build the deferred indexes of these tables, after the rows queued before."""
        if tables is None or any(name in self.deferred for name in tables):
            self.flush()
            build_indexes(self._driver_cursor().execute, self.deferred, tables)

    def flush(self) -> None:
        """Run the queue in order: one executemany per run of rows of the same shape."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        cursor = self._driver_cursor()
        start, end = 0, len(pending)
        while start < end:
            plan, row, result = pending[start]
            if result is not None:
                result._rowcount = cursor.execute(plan.sql, plan.parameters(row)).rowcount
                start += 1
                continue
            stop = start + 1
            while stop < end and pending[stop][0] is plan and pending[stop][2] is None:
                stop += 1
            if stop - start == 1:
                cursor.execute(plan.sql, plan.parameters(row))
            else:
                rows = [plan.parameters(r) for _, r, _ in pending[start:stop]]
                cursor.executemany(plan.sql, rows)
            start = stop

    def _driver_cursor(self) -> Any:
        """The driver's own cursor, in this connection's transaction (no per-call overhead)."""
        if self._cursor is None:
            driver = self.conn.connection.dbapi_connection
            if driver is None:  # pragma: no cover - a connection in a transaction has one
                raise RuntimeError("the replay's connection has no driver connection")
            self._cursor = driver.cursor()
        return self._cursor

    def _plan(self, owner: Any, keys: tuple[str, ...]) -> Plan | None:
        shape = (owner, keys)
        try:
            return self._plans[shape]
        except KeyError:
            plan = self._plans[shape] = (
                compile_insert(self.conn, owner, keys)
                if isinstance(owner, Table)
                else compile_statement(self.conn, owner, keys)
            )
            return plan
