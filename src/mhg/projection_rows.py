"""How a projection's handlers write the rows of their read models.

An aggregate's row is the one whose `id` is the event's originator: `insert_row` makes
it at the event's position, `update_row` sets columns on it, `row_of` reads it back.
`insert_on` declares a handler that only makes the row, `set_on_row` one that only sets
columns (a status and its moment, say), each from constants and the event's fields
(`mhg.event_fields`); `set_where` sets them on rows the event names by another field,
`in_turn` runs several handlers one after the other; `Tally` keeps running totals per
key (a site's month). What is
built once is run with each event's values (SQLAlchemy's compiled cache), which a replay queues and stores in
bulk (`mhg.replay_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement

from mhg.event_fields import (
    ACTOR,
    MOMENT,
    FromEvent,
    Reader,
    copied,
    from_event,
    part_of,
    parts_of,
    readers,
)
from mhg.projection import Handler

__all__ = [
    "ACTOR",
    "MOMENT",
    "FromEvent",
    "Tally",
    "copied",
    "from_event",
    "in_turn",
    "insert_on",
    "insert_row",
    "part_of",
    "parts_of",
    "row_of",
    "set_on_row",
    "set_where",
    "status_steps",
    "update_row",
]


def insert_row(conn: Connection, table: Table, event: Any, position: int, **values: Any) -> None:
    """Make the row of the event's aggregate: `id` its originator, at the event's position.

    The values are plain (no SQL expressions): the statement is the table's one insert,
    run with each event's values (SQLAlchemy's compiled cache; a replay queues it).
    """
    conn.execute(table.insert(), {"id": event.originator_id, "position": position, **values})


def row_of(conn: Connection, table: Table, event: Any, *columns: str) -> Row[Any]:
    """The row of the event's aggregate as it stands (the `columns` named, or all of it)."""
    chosen = [table.c[name] for name in columns] if columns else [table]
    return conn.execute(select(*chosen).where(table.c.id == event.originator_id)).one()


def update_row(conn: Connection, table: Table, event: Any, **values: Any) -> None:
    """Set `values` on the row of the event's aggregate: the row whose `id` is its originator."""
    conn.execute(update(table).where(table.c.id == event.originator_id).values(**values))


def insert_on(table: Table, *fields: str, **values: Any) -> Handler:
    """A handler that makes the row of the event's aggregate (`insert_row`): the event's
    `fields`, each for the column of the same name, then `values`, each a constant or
    `from_event(name)`: the event's field."""
    copies: tuple[tuple[str, Reader], ...] = tuple((name, attrgetter(name)) for name in fields)
    read = (*copies, *readers(values))
    constants = {c: v for c, v in values.items() if not isinstance(v, FromEvent)}

    def handle(conn: Connection, event: Any, position: int) -> None:
        row = {column: reader(event) for column, reader in read}
        insert_row(conn, table, event, position, **row, **constants)

    return handle


def set_on_row(table: Table, **values: Any) -> Handler:
    """A handler that sets `values` on the row of the event's aggregate (`update_row`).

    A value is a constant, an SQL expression of the row (`table.c.count + 1`), or
    `from_event(name)`: the event's field. The statement is built once and run with each
    event's values (SQLAlchemy's compiled cache; a replay queues it).
    """
    return set_where(table, "id", "originator_id", **values)


def set_where(table: Table, column: str, field: str, /, **values: Any) -> Handler:
    """A handler that sets `values` (as `set_on_row`) on the rows whose `column` holds the
    event's `field`: a credential the event names by `credential_id`, say."""
    key = attrgetter(field)
    read_values = readers(values)
    computed = {c: v for c, v in values.items() if isinstance(v, ClauseElement)}
    constants = {
        c: v for c, v in values.items() if c not in computed and not isinstance(v, FromEvent)
    }
    statement = update(table).where(table.c[column] == bindparam("b_key"))
    if computed:
        statement = statement.values(**computed)

    def handle(conn: Connection, event: Any, _position: int) -> None:
        read = {c: reader(event) for c, reader in read_values}
        conn.execute(statement, {"b_key": key(event), **constants, **read})

    return handle


def in_turn(*handlers: Handler) -> Handler:
    """A handler that runs `handlers` on each event, one after the other (a document's
    versions rewritten, then its row's status set, say)."""

    def handle(conn: Connection, event: Any, position: int) -> None:
        for handler in handlers:
            handler(conn, event, position)

    return handle


def status_steps(table: Table, **always: Any) -> Callable[..., Handler]:
    """Declares the handlers of a row's steps: each sets the `status` it leads to, the
    `always` values every step sets (its moment, say) and its own `values`, as `set_on_row`."""

    def step(status: Any, **values: Any) -> Handler:
        return set_on_row(table, status=status, **always, **values)

    return step


class Tally:
    """Rows of running totals, one per key (a site's month, say): `add` adds to a key's
    totals, and makes its row the first time. Its statements are built once and run
    with each event's values (SQLAlchemy's compiled cache; a replay queues them)."""

    def __init__(self, table: Table, key: Sequence[str], totals: Sequence[str]) -> None:
        c = table.c
        self._add = (
            update(table)
            .where(*(c[name] == bindparam(f"b_{name}") for name in key))
            .values({name: c[name] + bindparam(f"b_{name}") for name in totals})
        )
        self._new = table.insert()

    def add(
        self, conn: Connection, key: Mapping[str, Any], amounts: Mapping[str, int], **first: Any
    ) -> None:
        """Add `amounts` to the key's totals; a new row starts at them, with `first` beside."""
        given = {f"b_{name}": value for name, value in (*key.items(), *amounts.items())}
        if not conn.execute(self._add, given).rowcount:
            conn.execute(self._new, {**key, **first, **amounts})
