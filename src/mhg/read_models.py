"""A context's read models: each a module with its tables (`define`) and the projection
that fills them, listed once; the context's metadata and projections follow from the list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Uuid,
    select,
)

from mhg.idempotency import idempotency_table
from mhg.projection import Handler, Projection, tracking_table


def log_position() -> Column[Any]:
    """The log position of the event that made the row (unique, so that lists keep and
    page in log order): what a row keyed otherwise than by its aggregate's id has beside its key."""
    return Column("position", BigInteger, nullable=False, unique=True)


def aggregate_columns() -> tuple[Column[Any], Column[Any]]:
    """The columns an aggregate's row starts with: its id, and its `log_position`."""
    return (Column("id", Uuid, primary_key=True), log_position())


def required(**kinds: Any) -> tuple[Column[Any], ...]:
    """Columns that every row fills (`NOT NULL`), each named with its type, in that order:
    `required(minutes=Integer, capacity=Integer, booked=Integer)`."""
    return tuple(Column(name, kind, nullable=False) for name, kind in kinds.items())


def required_indexed(**kinds: Any) -> tuple[Column[Any], ...]:
    """`required` columns that lists filter or sort by, each with its index."""
    return tuple(Column(name, kind, nullable=False, index=True) for name, kind in kinds.items())


def msa_invoice_columns() -> tuple[Column[Any], ...]:
    """The columns an MSA invoice's row starts with on either side of the MSA, as the
    published invoice message gives them (amounts in cents): its `aggregate_columns`, the
    month and revision, the status, the schedule it was figured with, the net collections
    and the fee, the invoice it corrects and the one that supersedes it."""
    return (
        *aggregate_columns(),
        Column("month", Date, nullable=False, index=True),
        Column("revision", Integer, nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("schedule_version", Integer, nullable=False),
        Column("schedule_kind", String(40), nullable=False),
        Column("net_collections_cents", BigInteger, nullable=False),
        Column("fee_cents", BigInteger, nullable=False),
        Column("corrects_invoice_id", Uuid),
        Column("superseded_by", Uuid),
    )


def in_log_order(table: Table, *columns: str) -> Select[Any]:
    """The table's `columns` (the whole row when none is named), its rows in log order (by
    `log_position`, the order they were made in); a caller adds its own `.where(...)`."""
    chosen = [table.c[name] for name in columns] if columns else [table]
    return select(*chosen).order_by(table.c.position)


class ReadModel(Protocol):
    def define(self, metadata: MetaData) -> None: ...

    def projection(self, metadata: MetaData) -> Projection: ...


@cache
def metadata_of(read_models: tuple[ReadModel, ...]) -> MetaData:
    """The read models' tables, after the projections' tracking and the idempotency table.

    Made once per process: a `MetaData` only describes the tables, and every store and
    projection of the process reads the same description (a service's runtime, a replay,
    each test's start). Whoever needs more tables adds them to a copy (`Table.to_metadata`).
    """
    metadata = MetaData()
    tracking_table(metadata)
    idempotency_table(metadata)
    for read_model in read_models:
        read_model.define(metadata)
    return metadata


def projection_over(
    metadata: MetaData, name: str, tables: Sequence[str], *handlers: Mapping[type[Any], Handler]
) -> Projection:
    """The projection `name` of the `tables` named in `metadata`, with the handlers of each
    group (a read model's handlers may be declared apart for each of its tables)."""
    merged: dict[type[Any], Handler] = {}
    for group in handlers:
        merged.update(group)
    return Projection(
        name=name, tables=[metadata.tables[table] for table in tables], handlers=merged
    )


def projections_of(read_models: Sequence[ReadModel], metadata: MetaData) -> list[Projection]:
    return [read_model.projection(metadata) for read_model in read_models]


class ReadModels:
    """A context's read models, in the order their tables are defined: what its runtime
    asks for its metadata (`metadata_of`) and its projections over that metadata."""

    def __init__(self, *read_models: ReadModel) -> None:
        self.read_models = read_models

    def metadata(self) -> MetaData:
        return metadata_of(self.read_models)

    def projections(self, metadata: MetaData) -> list[Projection]:
        return projections_of(self.read_models, metadata)
