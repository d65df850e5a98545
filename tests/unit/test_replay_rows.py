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
    bindparam,
    create_engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from mhg.columns import UTCDateTime
from mhg.replay_indexes import ALL, build_indexes, build_when_named, defer_indexes
from mhg.replay_rows import (
    BufferedConnection,
    InsertBuilder,
    QueuedResult,
    RowInsert,
    buffer_inserts,
)

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def schema() -> MetaData:
    metadata = MetaData()
    Table(
        "things",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("status", String(20), nullable=False, index=True),
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


def apply(metadata: MetaData, conn: Any, operations: list[Operation]) -> list[Any]:
    """Run the operations; returns what they answered (rowcounts, counts)."""
    things = metadata.tables["things"]
    add = things.insert()
    by_position = update(things).where(things.c.position == bindparam("b_position"))
    drop = delete(things).where(things.c.id == bindparam("b_id"), things.c.status != "kept")
    retag = update(things).where(things.c.status == bindparam("b_status")).values(doc=None)
    made: set[int] = set()
    answers: list[Any] = []
    for kind, n in operations:
        if kind == "insert" and n not in made:
            conn.execute(things.insert().values(**row(n)))
            made.add(n)
        elif kind == "add" and n not in made:
            conn.execute(add, row(n))
            made.add(n)
        elif kind == "update" and n in made:
            conn.execute(update(things).where(things.c.position == n).values(status="changed"))
        elif kind == "set":  # prebuilt, by a unique key, its rowcount read
            found = conn.execute(by_position, {"b_position": n, "status": f"set{n}", "flag": None})
            answers.append(found.rowcount)
        elif kind == "drop":  # prebuilt, a literal in its where, its rowcount not read
            conn.execute(drop, {"b_id": uuid.UUID(int=n + 1)})
            made.discard(n)
        elif kind == "retag":  # prebuilt, finds its rows through a non-unique index
            conn.execute(retag, {"b_status": "changed"})
        elif kind == "count":
            answers.append(conn.execute(select(func.count()).select_from(things)).scalar())
    return answers


def schema_of(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return sorted(conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master").all())


def run_both(engines: tuple[Engine, Engine], operations: list[Operation]) -> None:
    plain_engine, bulk_engine = engines
    plain, bulk = schema(), schema()
    buffer_inserts(bulk)
    for engine, metadata in ((plain_engine, plain), (bulk_engine, bulk)):
        metadata.drop_all(engine)
        metadata.create_all(engine)
    with plain_engine.begin() as conn:
        expected = apply(plain, conn, operations)
    with bulk_engine.begin() as conn:
        deferred = defer_indexes(conn, bulk)
    build_when_named(bulk_engine, deferred)
    with bulk_engine.begin() as conn:
        buffered = BufferedConnection(conn, deferred=deferred)
        answers = apply(bulk, buffered, operations)
        buffered.flush()
        build_indexes(conn.exec_driver_sql, deferred, ALL)
    assert raw(bulk_engine, "things") == raw(plain_engine, "things")
    assert answers == expected
    assert schema_of(bulk_engine) == schema_of(plain_engine)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["insert", "add", "update", "set", "drop", "retag", "count"]),
            st.integers(0, 12),
        ),
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


def indexes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in found if not name.startswith("sqlite_autoindex")}


def test_prebuilt_statements_are_queued_in_order_and_answer_their_rowcount(
    engines: tuple[Engine, Engine],
) -> None:
    _, engine = engines
    metadata = schema()
    buffer_inserts(metadata)
    metadata.create_all(engine)
    things = metadata.tables["things"]
    by_id = update(things).where(things.c.id == bindparam("b_id"))
    with engine.begin() as conn:
        buffered = BufferedConnection(conn)
        buffered.execute(things.insert(), row(1))
        values = {"b_id": uuid.UUID(int=2), "status": "held"}
        done = buffered.execute(by_id, values)
        missed = buffered.execute(by_id, {"b_id": uuid.UUID(int=99), "status": "done"})
        assert isinstance(done, QueuedResult)
        assert len(buffered.pending) == 3  # nothing run yet
        assert done.pending
        values["status"] = "done"  # its values are read when the queue runs
        assert (done.rowcount, missed.rowcount, buffered.pending) == (1, 0, [])
        assert not done.pending
    assert [r[2] for r in raw(engine, "things")] == ["done"]


def test_deferred_indexes_are_built_before_a_statement_that_reads_through_them(
    engines: tuple[Engine, Engine],
) -> None:
    _, engine = engines
    metadata = schema()
    buffer_inserts(metadata)
    metadata.create_all(engine)
    things = metadata.tables["things"]
    by_id = update(things).where(things.c.id == bindparam("b_id"))
    by_status = update(things).where(things.c.status == bindparam("b_status"))
    with engine.begin() as conn:
        deferred = defer_indexes(conn, metadata)
    assert list(deferred) == ["things"]
    assert indexes(engine) == set()
    build_when_named(engine, deferred)
    with engine.begin() as conn:
        buffered = BufferedConnection(conn, deferred=deferred)
        buffered.execute(things.insert(), row(1))
        buffered.execute(by_id, {"b_id": uuid.UUID(int=2), "status": "done"})  # by its key
        buffered.flush()
        assert deferred  # not needed yet
        buffered.execute(by_status, {"b_status": "done", "flag": True})  # through the index
        assert deferred == {}
    assert indexes(engine) == {"ix_things_status"}

    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_things_status")
        deferred["things"] = ["CREATE INDEX ix_things_status ON things (status)"]
        buffered = BufferedConnection(conn, deferred=deferred)
        buffered.execute(select(func.count()).where(things.c.status == "done")).scalar()
        assert deferred == {}  # SQLAlchemy ran a statement naming the table: built first
    assert indexes(engine) == {"ix_things_status"}
