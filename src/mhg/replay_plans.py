"""Statements compiled once for a replay's bulk writes (`mhg.replay_rows`).

A `Plan` is the SQL of an insert (or of a prebuilt insert, update or delete) for one
set of keys, and how to bind a row's values to its placeholders as SQLAlchemy would.
None where SQLAlchemy's own path must run the statement instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import UpdateBase

from mhg.replay_indexes import needs

Processor = Callable[[Any], Any] | None
NO_VALUE = object()  # a position whose value comes from the row, not from the statement
NOTHING: frozenset[str] = frozenset()


class Plan:
    """A statement for a set of keys, compiled once: its SQL and how to bind a row's values.

    `keys[i]` names the row's value for the i-th placeholder, `processors[i]` converts
    it as SQLAlchemy would; a placeholder whose value the statement holds itself (a
    literal in a `where`) has it, converted already, in `constants[i]` instead.
    """

    __slots__ = ("keys", "needs", "parameters", "sql")

    def __init__(
        self,
        sql: str,
        keys: tuple[str, ...],
        processors: tuple[Processor, ...],
        constants: tuple[Any, ...] = (),
        needs: frozenset[str] | None = NOTHING,
    ) -> None:
        self.sql = sql
        self.keys = keys
        self.needs = needs  # the tables whose deferred indexes it needs (`replay_indexes`)
        self.parameters: Callable[[dict[str, Any]], Sequence[Any]] = _binder(
            keys, processors, constants
        )


def _binder(
    keys: tuple[str, ...], processors: tuple[Processor, ...], constants: tuple[Any, ...]
) -> Callable[[dict[str, Any]], Sequence[Any]]:
    """A row's values in placeholder order, converted: as little Python per row as can be."""
    if constants:
        slots = list(zip(keys, processors, constants, strict=True))
        return lambda row: [
            c if c is not NO_VALUE else row[k] if p is None else p(row[k]) for k, p, c in slots
        ]
    converting = [(i, p) for i, p in enumerate(processors) if p is not None]
    if not keys:
        return lambda _row: ()
    if len(keys) == 1:
        key, process = keys[0], processors[0]
        if process is None:
            return lambda row: (row[key],)
        return lambda row: (process(row[key]),)
    fetch = itemgetter(*keys)
    if not converting:
        return fetch

    def bind(row: dict[str, Any]) -> list[Any]:
        values = list(fetch(row))
        for i, process in converting:
            values[i] = process(values[i])
        return values

    return bind


def compile_insert(conn: Connection, table: Table, keys: tuple[str, ...]) -> Plan | None:
    """A plain insert of these keys; None when a column default the row lacks must run."""
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
    return Plan(sql=compiled.string, keys=order, processors=processors)


def compile_statement(
    conn: Connection, statement: UpdateBase, keys: tuple[str, ...]
) -> Plan | None:
    """A prebuilt insert, update or delete run with these keys, as SQLAlchemy would run it.

    None (SQLAlchemy's own path) for what a plain statement cannot do: RETURNING,
    Python-side defaults or onupdates, expanding (IN) or literal-execute parameters.
    """
    dialect = conn.dialect
    if dialect.paramstyle not in ("qmark", "format") or statement._returning:
        return None
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
    if (
        compiled.effective_returning
        or compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or not compiled.positiontup
    ):
        return None
    names: list[str] = []
    constants: list[Any] = []
    processors: list[Processor] = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.expanding or bind.callable is not None:
            return None
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if name in keys:
            names.append(name)
            constants.append(NO_VALUE)
            processors.append(process)
        elif bind.required:
            return None
        else:
            names.append(name)
            constants.append(bind.value if process is None else process(bind.value))
            processors.append(None)
    if not set(keys) <= set(names):
        return None  # a key the statement does not use: let SQLAlchemy say so
    return Plan(
        sql=compiled.string,
        keys=tuple(names),
        processors=tuple(processors),
        constants=tuple(constants) if any(c is not NO_VALUE for c in constants) else (),
        needs=needs(statement),
    )
