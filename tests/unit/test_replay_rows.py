"""Bulk rows of a replay store exactly what one statement per row would have stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Uuid,
    create_engine,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from mhg.columns import UTCDateTime
from mhg.replay_rows import BufferedConnection, InsertBuilder, RowInsert, buffer_inserts

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def schema() -> MetaData:
    metadata = MetaData()
    Table(
        "things",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("status", String(20), nullable=False),
        Column("at", UTCDateTime),
        Column("day", Date),
        Column("doc", JSON),
        Column("amount", Numeric(12, 2)),
        Column("flag", Boolean),
    )
    Table(
        "defaults",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("kind", String(10), default="plain"),
    )
    return metadata


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    plain = create_engine(f"sqlite:///{tmp_path}/plain.sqlite")
    bulk = create_engine(f"sqlite:///{tmp_path}/bulk.sqlite")
    yield plain, bulk
    plain.dispose()
    bulk.dispose()


def raw(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    """The values as SQLite stores them, not as SQLAlchemy reads them back."""
    with engine.connect() as conn:
        return list(conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY rowid").all())


def row(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "id": uuid.UUID(int=n + 1),
        "position": n,
        "status": "new",
        "at": EPOCH + timedelta(seconds=n, microseconds=n),
        "day": date(2026, 1, 1) + timedelta(days=n),
        "doc": None if n % 3 == 0 else {"n": n, "tags": ["a", "b"]},
        "amount": Decimal(n) / 4,
        "flag": n % 2 == 0,
    } | overrides


Operation = tuple[str, int]


def apply(metadata: MetaData, conn: Any, operations: list[Operation]) -> None:
    things = metadata.tables["things"]
    made: set[int] = set()
    for kind, n in operations:
        if kind == "insert" and n not in made:
            conn.execute(things.insert().values(**row(n)))
            made.add(n)
        elif kind == "update" and n in made:
            conn.execute(update(things).where(things.c.position == n).values(status="changed"))
        elif kind == "count":
            conn.execute(select(func.count()).select_from(things)).scalar()


def run_both(engines: tuple[Engine, Engine], operations: list[Operation]) -> None:
    plain_engine, bulk_engine = engines
    plain, bulk = schema(), schema()
    buffer_inserts(bulk)
    for engine, metadata in ((plain_engine, plain), (bulk_engine, bulk)):
        metadata.drop_all(engine)
        metadata.create_all(engine)
    with plain_engine.begin() as conn:
        apply(plain, conn, operations)
    with bulk_engine.begin() as conn:
        buffered = BufferedConnection(conn)
        apply(bulk, buffered, operations)
        buffered.flush()
    assert raw(bulk_engine, "things") == raw(plain_engine, "things")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["insert", "update", "count"]), st.integers(0, 12)),
        max_size=40,
    )
)
def test_any_mix_of_statements_stores_the_same_rows_in_the_same_order(
    engines: tuple[Engine, Engine], operations: list[Operation]
) -> None:
    run_both(engines, operations)


def test_plain_rows_are_queued_and_stored_in_one_go(engines: tuple[Engine, Engine]) -> None:
    _, engine = engines
    metadata = schema()
    buffer_inserts(metadata)
    metadata.create_all(engine)
    things = metadata.tables["things"]
    assert isinstance(things.insert(), InsertBuilder)
    with engine.begin() as conn:
        buffered = BufferedConnection(conn)
        for n in range(5):
            statement = things.insert().values(**row(n))
            assert isinstance(statement, RowInsert)
            assert buffered.execute(statement) is None
        buffered.execute(things.insert(), [row(5), row(6)])
        assert len(buffered.pending) == 7
        assert raw(engine, "things") == []  # nothing stored yet (another connection)
        count = buffered.execute(select(func.count()).select_from(things)).scalar()
        assert (count, buffered.pending) == (7, [])


def test_what_sql_must_compute_takes_sqlalchemys_own_path(engines: tuple[Engine, Engine]) -> None:
    plain_engine, engine = engines
    metadata = schema()
    buffer_inserts(metadata)
    metadata.create_all(engine)
    things, defaults = metadata.tables["things"], metadata.tables["defaults"]
    computed = things.insert().values(**row(1, status=func.upper("late")))
    assert not isinstance(computed, RowInsert)
    assert not isinstance(things.insert().values([row(2)]), RowInsert)
    returning = things.insert().values(**row(3)).returning(things.c.position)
    with engine.begin() as conn:
        buffered = BufferedConnection(conn)
        buffered.execute(computed)
        assert buffered.execute(returning).scalar() == 3
        buffered.execute(defaults.insert().values(id=1))  # a Python-side default to fill
        buffered.execute(defaults.insert().values(id=2, kind="set"))
        buffered.flush()
    assert [r[2] for r in raw(engine, "things")] == ["LATE", "new"]
    assert raw(engine, "defaults") == [(1, "plain"), (2, "set")]
    with plain_engine.begin() as conn:
        metadata_plain = schema()
        metadata_plain.create_all(conn)
        conn.execute(insert(metadata_plain.tables["things"]).values(**row(3)))
    assert raw(plain_engine, "things")[0] == raw(engine, "things")[1]
