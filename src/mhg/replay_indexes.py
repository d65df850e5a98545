"""A replay's secondary indexes: built after the rows, or as soon as a statement needs them.

Every row inserted into a table costs one b-tree insertion per index, and a replay
writes its read models from zero: SQLite builds an index over rows already there far
more cheaply (one sort). So the fresh store's non-unique indexes are dropped right
after the tables are created and built again at the end, unless a statement needs
them first. A statement the replay's connection queues (`mhg.replay_rows`) names the
tables it needs once, when compiled (`needs`): none for a plain insert, or for an
update or delete that finds its rows by a unique key. Any statement SQLAlchemy runs
(a select, a statement built per event, textual SQL) builds the indexes of every
deferred table its SQL names first (`build_when_named`), so it reads through the same
indexes as on the live store, and in the same order. Unique indexes and constraints
are kept throughout: inserts and lookups by key rely on them. The rows stored are the
same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import BindParameter, Column, MetaData, Table, UniqueConstraint, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql import ClauseElement, TableClause, operators, visitors
from sqlalchemy.sql.dml import Delete, Insert, Update, UpdateBase
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList, TextClause

Deferred = dict[str, list[str]]
"""Per table name, the CREATE INDEX statements not run yet."""

ALL: None = None  # what `needs` answers for a statement whose tables cannot be told


def defer_indexes(conn: Connection, metadata: MetaData) -> Deferred:
    """Drop the (still empty) tables' non-unique indexes; returns them, to build later."""
    deferred: Deferred = {}
    for table in metadata.sorted_tables:
        indexes = [index for index in table.indexes if not index.unique]
        for index in indexes:
            ddl = str(CreateIndex(index).compile(dialect=conn.dialect))
            deferred.setdefault(table.name, []).append(ddl)
            index.drop(conn)
    return deferred


def build_indexes(
    run: Callable[[str], Any], deferred: Deferred, tables: Iterable[str] | None
) -> None:
    """Build the deferred indexes of these tables (of all: `ALL`), `run` running each DDL.

    They leave `deferred` before the first runs, so that `build_when_named`, seeing a
    CREATE INDEX go by, never builds one twice.
    """
    names = list(deferred) if tables is None else [t for t in tables if t in deferred]
    for ddl in [ddl for name in names for ddl in deferred.pop(name)]:
        run(ddl)


def build_when_named(engine: Engine, deferred: Deferred) -> None:
    """Before SQLAlchemy runs a statement, build the deferred indexes of the tables it names.

    A table's name in the SQL (as a word or inside a longer one) is enough: building an
    index early costs only time, and any SQL that reads a table names it.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _named(_conn: Connection, cursor: Any, statement: str, *_args: Any) -> None:
        if deferred:
            named = [name for name in deferred if name in statement]
            if named:
                build_indexes(cursor.connection.execute, deferred, named)


def referenced(statement: Any) -> frozenset[str] | None:
    """The names of the tables a statement reads or writes; `ALL` for textual SQL."""
    if not isinstance(statement, ClauseElement):
        return ALL
    found = set()
    for element in visitors.iterate(statement):
        if isinstance(element, TableClause):
            found.add(element.name)
        elif isinstance(element, TextClause):
            return ALL
        elif isinstance(element, Column) and isinstance(element.table, TableClause):
            found.add(element.table.name)
    return frozenset(found)


def needs(statement: UpdateBase) -> frozenset[str] | None:
    """The tables whose indexes must exist before this insert, update or delete runs.

    None of them for a plain insert, or an update or delete of one table by equality
    on a unique key (its primary key, a unique constraint, a plain unique index):
    SQLite finds its rows through that key. Otherwise every table it names (`ALL` if
    that cannot be told).
    """
    tables = referenced(statement)
    if tables is None:
        return ALL
    target = statement.table
    if not isinstance(target, Table) or tables != {target.name}:
        return tables
    if isinstance(statement, Insert) or (
        isinstance(statement, (Update, Delete)) and _by_unique_key(target, statement)
    ):
        return frozenset()
    return tables


def _by_unique_key(table: Table, statement: Update | Delete) -> bool:
    where = statement.whereclause
    if where is None:
        return False
    terms = (
        where.clauses
        if isinstance(where, BooleanClauseList) and where.operator is operators.and_
        else [where]
    )
    equal = set()
    for term in terms:
        if isinstance(term, BinaryExpression) and term.operator is operators.eq:
            for side, other in ((term.left, term.right), (term.right, term.left)):
                if (
                    isinstance(side, Column)
                    and side.table is table
                    and isinstance(other, BindParameter)
                ):
                    equal.add(side.name)
    keys = [{c.name for c in table.primary_key.columns}]
    keys += [
        {c.name for c in constraint.columns}
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    keys += [
        {c.name for c in index.columns}
        for index in table.indexes
        if index.unique
        and not index.dialect_kwargs  # a partial index is unique only where it applies
        and all(isinstance(e, Column) for e in index.expressions)
    ]
    return any(key and key <= equal for key in keys)
