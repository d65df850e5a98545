"""Inserting a replay's rows in bulk, without changing how projections are written.

Projections write one statement per event (`conn.execute(table.insert().values(...))`),
and building and compiling a statement costs SQLAlchemy ~100-200 µs, far more than
SQLite takes to store the row. A replay builds its read models from zero in one
transaction per batch, so it can do better without any projection knowing:

- the replay's own tables (a metadata built for the replay only) answer `insert()`
  with an `InsertBuilder`, whose `.values(**row)` just keeps the row (`RowInsert`);
- the replay hands projections a `BufferedConnection`, which queues those rows and
  stores consecutive rows of a table with one `executemany` of a statement compiled
  once, applying the same bind processors SQLAlchemy would;
- anything else (an update, a select, an insert with SQL expressions, a result being
  read) first flushes the queue and then runs as usual, so every statement sees the
  rows before it, in log order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, Table, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


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


@dataclass(frozen=True)
class InsertPlan:
    """A table's insert of a set of columns, compiled once: SQL, key order, processors."""

    sql: str
    keys: tuple[str, ...]
    processors: tuple[Processor, ...]

    def parameters(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            [
                row[key] if process is None else process(row[key])
                for key, process in zip(self.keys, self.processors, strict=True)
            ]
        )


class BufferedConnection:
    """A Connection for projections that stores queued rows in bulk, in order."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[tuple[Table, dict[str, Any]]] = []
        self._plans: dict[tuple[Table, tuple[str, ...]], InsertPlan | None] = {}

    def execute(self, statement: Any, parameters: Any = None, **options: Any) -> Any:
        if type(statement) is RowInsert and parameters is None and not options:
            self.pending.append((statement.table, statement.row))
            return None
        if type(statement) is InsertBuilder and not options:
            rows = [parameters] if isinstance(parameters, dict) else parameters
            if rows and all(isinstance(r, dict) and _plain(r) for r in rows):
                self.pending.extend((statement.table, r) for r in rows)
                return None
            statement = insert(statement.table)
        self.flush()
        return self.conn.execute(statement, parameters, **options)

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self.conn, name)

    def flush(self) -> None:
        """Store every queued row: one executemany per run of rows of the same shape."""
        pending, self.pending = self.pending, []
        start = 0
        while start < len(pending):
            table, first = pending[start]
            keys = tuple(first)
            end = start + 1
            while (
                end < len(pending) and pending[end][0] is table and tuple(pending[end][1]) == keys
            ):
                end += 1
            self._store(table, keys, [row for _, row in pending[start:end]])
            start = end

    def _store(self, table: Table, keys: tuple[str, ...], rows: Sequence[dict[str, Any]]) -> None:
        plan = self._plan(table, keys)
        if plan is None:  # Python-side defaults to compute: SQLAlchemy's own executemany
            self.conn.execute(insert(table), list(rows))
            return
        self.conn.exec_driver_sql(plan.sql, [plan.parameters(row) for row in rows])

    def _plan(self, table: Table, keys: tuple[str, ...]) -> InsertPlan | None:
        shape = (table, keys)
        if shape not in self._plans:
            self._plans[shape] = _compile(self.conn, table, keys)
        return self._plans[shape]


def _compile(conn: Connection, table: Table, keys: tuple[str, ...]) -> InsertPlan | None:
    if any(c.default is not None and c.key not in keys for c in table.columns):
        return None
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = tuple(compiled.positiontup or ())
    if dialect.paramstyle not in ("qmark", "format") or sorted(order) != sorted(keys):
        return None
    processors = tuple(
        table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order
    )
    return InsertPlan(sql=compiled.string, keys=order, processors=processors)
