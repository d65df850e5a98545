"""Columns every row fills (mhg.read_models.required) and filters that match their own column
(mhg.listing.equal_columns): each the same as the one-by-one declaration it stands for."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, CreateTable

from mhg.listing import Selection, equal_columns, equals
from mhg.read_models import required, required_indexed


def test_required_columns_are_not_null_in_the_order_named() -> None:
    grouped, single = MetaData(), MetaData()
    table = Table("t", grouped, *required(kind=String(20), day=Date, count=Integer))
    expected = Table(
        "t",
        single,
        Column("kind", String(20), nullable=False),
        Column("day", Date, nullable=False),
        Column("count", Integer, nullable=False),
    )
    assert [c.name for c in table.columns] == ["kind", "day", "count"]
    assert str(CreateTable(table)) == str(CreateTable(expected))
    engine = create_engine("sqlite://")
    grouped.create_all(engine)
    with engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(table.insert(), [{"kind": "a", "day": None, "count": 1}])


def test_required_indexed_columns_are_not_null_and_each_indexed() -> None:
    grouped, single = MetaData(), MetaData()
    table = Table("t", grouped, *required_indexed(kind=String(20), day=Date))
    expected = Table(
        "t",
        single,
        Column("kind", String(20), nullable=False, index=True),
        Column("day", Date, nullable=False, index=True),
    )
    assert str(CreateTable(table)) == str(CreateTable(expected))
    assert sorted(str(CreateIndex(i)) for i in table.indexes) == sorted(
        str(CreateIndex(i)) for i in expected.indexes
    )
    assert len(table.indexes) == 2


def test_equal_columns_filter_each_column_by_its_own_name() -> None:
    metadata = MetaData()
    table = Table("t", metadata, Column("status", String), Column("kind", String))
    grouped = Selection("t", **equal_columns("status", "kind"))
    single = Selection("t", status=equals(), kind=equals())
    assert list(grouped.filters) == ["status", "kind"]
    values = {"status": "open", "kind": None}
    assert [str(c) for c in grouped.where(table, values)] == [
        str(c) for c in single.where(table, values)
    ]
    assert str(grouped.where(table, {"kind": "x"})[0]) == "t.kind = :kind_1"
