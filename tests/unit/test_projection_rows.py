"""The kernel's row helpers write the same rows live and in a replay's bulk connection."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Connection

from mhg.projection_rows import (
    Tally,
    copied,
    from_event,
    in_turn,
    insert_row,
    row_of,
    set_on_row,
    set_where,
    update_row,
)
from mhg.read_models import aggregate_columns
from mhg.replay_rows import BufferedConnection, buffer_inserts

THING = uuid.UUID(int=7)


def schema() -> MetaData:
    metadata = MetaData()
    Table(
        "things",
        metadata,
        *aggregate_columns(),
        Column("name", String(20), nullable=False),
        Column("status", String(20), nullable=False),
        Column("steps", Integer, nullable=False),
        Column("note", String(20)),
    )
    Table(
        "months",
        metadata,
        Column("site", String(10), primary_key=True),
        Column("month", String(7), primary_key=True),
        Column("position", Integer, nullable=False),
        Column("minutes", Integer, nullable=False),
        Column("windows", Integer, nullable=False),
    )
    return metadata


def event(**fields: Any) -> Any:
    return SimpleNamespace(originator_id=THING, **fields)


def write(conn: Connection, metadata: MetaData) -> None:
    things, months = metadata.tables["things"], metadata.tables["months"]
    created = event(name="first", note="n")
    insert_row(conn, things, created, 3, **copied(created, "name", "note"), status="new", steps=0)
    step = set_on_row(things, status="moved", steps=things.c.steps + 1, note=from_event("note"))
    step(conn, event(note="a"), 4)
    step(conn, event(note=None), 5)
    assert row_of(conn, things, created, "steps").steps == 2
    update_row(conn, things, created, name="renamed")
    # a row the event names by another field, then the originator's row, in turn
    noted = set_where(things, "name", "called", note=from_event("note"))
    in_turn(noted, set_on_row(things, steps=things.c.steps + 1))(
        conn, event(called="renamed", note="b"), 6
    )
    tally = Tally(months, key=("site", "month"), totals=("minutes", "windows"))
    for minutes, sign in ((30, 1), (10, 1), (30, -1)):
        amounts = {"minutes": sign * minutes, "windows": sign}
        tally.add(conn, {"site": "s", "month": "2026-01"}, amounts, position=minutes)
    tally.add(conn, {"site": "s", "month": "2026-02"}, {"minutes": -5, "windows": -1}, position=9)


def rows(conn: Connection, metadata: MetaData) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for table in metadata.sorted_tables
        for row in conn.execute(select(table).order_by(*table.primary_key.columns))
    ]


def live(metadata: MetaData, conn: Connection) -> Connection:
    return conn


def replayed(metadata: MetaData, conn: Connection) -> Any:
    buffer_inserts(metadata)
    return BufferedConnection(conn)


@pytest.mark.parametrize("connect", [live, replayed])
def test_rows_helpers_write_the_rows_they_name(
    connect: Callable[[MetaData, Connection], Any],
) -> None:
    metadata = schema()
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        writer = connect(metadata, conn)
        write(writer, metadata)
        if isinstance(writer, BufferedConnection):
            writer.flush()
        assert rows(conn, metadata) == [
            ("s", "2026-01", 30, 10, 1),
            ("s", "2026-02", 9, -5, -1),
            (THING, 3, "renamed", "moved", 3, "b"),
        ]
