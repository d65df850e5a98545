"""What the read store records about each projection besides its rows.

- `projection_tracking`: the log position a projection has applied up to (with its rows).
- `projection_failures`: the event a projection stopped at, when a handler raised on it:
  projection, position, topic, error type and message (an exception's text names
  columns and values of the read model, never an event's payload: see `failure_text`).
- `projection_schema`: each projection's schema fingerprint, so that a read model whose
  definition changed is rebuilt from the log rather than served half-migrated.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.engine import Connection


class ProjectionShape(Protocol):
    """What the state tables read of a projection (`mhg.projection.Projection`)."""

    @property
    def name(self) -> str: ...
    @property
    def tables(self) -> Sequence[Table]: ...
    @property
    def version(self) -> int: ...


MESSAGE_LIMIT = 500


def tracking_table(metadata: MetaData) -> Table:
    """The tracking table, and beside it the failure and schema tables every store has."""
    failures_table(metadata)
    schema_table(metadata)
    return Table(
        "projection_tracking",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", Integer, nullable=False),
    )


def failures_table(metadata: MetaData) -> Table:
    return Table(
        "projection_failures",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", BigInteger, nullable=False),
        Column("topic", String(300), nullable=False),
        Column("error_type", String(200), nullable=False),
        Column("message", String(MESSAGE_LIMIT), nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False),
    )


def schema_table(metadata: MetaData) -> Table:
    return Table(
        "projection_schema",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
    )


P = TypeVar("P", bound=ProjectionShape)

log = logging.getLogger("mhg.projection_runner")  # where operators look for rebuilds


def fingerprint(projection: ProjectionShape) -> str:
    """A hash of the projection's version and its tables' definitions (columns, types, keys,
    indexes): a new column, a changed type or a bumped `version` changes it."""
    parts = [f"version={projection.version}"]
    for table in sorted(projection.tables, key=lambda t: t.name):
        parts.append(f"table {table.name}")
        for column in table.columns:
            parts.append(
                f"  {column.name} {column.type!r} pk={column.primary_key} "
                f"null={column.nullable} unique={column.unique} index={column.index}"
            )
        described = [
            f"  index {index.name} ({','.join(c.name for c in index.columns)}) {index.unique}"
            for index in table.indexes
        ]
        described += [
            f"  constraint {type(constraint).__name__} {constraint.name} "
            f"({','.join(c.name for c in getattr(constraint, 'columns', ()))})"
            for constraint in table.constraints
        ]
        parts += sorted(described)  # sets: their order changes from one process to the next
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def failure_text(error: BaseException) -> str:
    """An error's message, bounded: the driver's statement and parameters are left out."""
    original = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error
    text = str(original if original is not None else error).split("\n", 1)[0]
    return text[:MESSAGE_LIMIT]


def schema_changes(
    projections: Sequence[P], stored: dict[str, str], positions: dict[str, int]
) -> tuple[list[P], list[P]]:
    """Which projections' tables changed since their rows were applied (to rebuild), and
    which are new to a store that never applied them (only their fingerprints recorded)."""
    changed: list[P] = []
    fresh: list[P] = []
    for projection in projections:
        value = fingerprint(projection)
        if stored.get(projection.name) == value:
            continue
        if projection.name not in stored and positions.get(projection.name, 0) == 0:
            fresh.append(projection)
            continue
        log.warning(
            "projection %s: its schema changed (fingerprint %s, stored %s); "
            "rebuilding it from the log",
            projection.name,
            value[:12],
            (stored.get(projection.name) or "none")[:12],
        )
        changed.append(projection)
    return changed, fresh


@dataclass(frozen=True)
class Failure:
    projection: str
    position: int
    topic: str
    error_type: str
    message: str
    failed_at: datetime

    @classmethod
    def of(cls, projection: str, position: int, topic: str, error: BaseException) -> Failure:
        name, text = type(error).__name__, failure_text(error)
        return cls(projection, position, topic, name, text, datetime.now(UTC))


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    lag: int
    """Log head minus position; negative when the read store is ahead of its log."""
    failure: Failure | None


class StateTables:
    """Reads and writes the failure and schema rows of one read store."""

    def __init__(self, metadata: MetaData) -> None:
        self.tracking = metadata.tables["projection_tracking"]
        self.failures = metadata.tables["projection_failures"]
        self.schema = metadata.tables["projection_schema"]

    def positions(self, conn: Connection) -> dict[str, int]:
        rows = conn.execute(select(self.tracking.c.name, self.tracking.c.position))
        return {name: int(position) for name, position in rows}

    def standing(self, conn: Connection) -> tuple[dict[str, int], set[str]]:
        """Each tracked projection's position, and the names of those stopped by a failure:
        what a live tick reads, in one statement."""
        stopped = self.failures.c.name.is_not(None)
        rows = conn.execute(
            select(self.tracking.c.name, self.tracking.c.position, stopped).outerjoin(
                self.failures, self.failures.c.name == self.tracking.c.name
            )
        )
        positions: dict[str, int] = {}
        failed: set[str] = set()
        for name, position, is_stopped in rows:
            positions[name] = int(position)
            if is_stopped:
                failed.add(name)
        return positions, failed

    def advance(self, conn: Connection, name: str, position: int) -> None:
        conn.execute(
            update(self.tracking).where(self.tracking.c.name == name).values(position=position)
        )

    def locked_position(self, conn: Connection, name: str) -> int:
        """A projection's position, locked until the transaction ends (made at 0 if new)."""
        row = conn.execute(
            select(self.tracking.c.position).where(self.tracking.c.name == name).with_for_update()
        ).first()
        if row is None:
            conn.execute(self.tracking.insert().values(name=name, position=0))
            return 0
        return int(row[0])

    def locked_positions(self, conn: Connection, names: Sequence[str]) -> dict[str, int]:
        """The positions of `names`, locked until the transaction ends (in name order, so
        two runners never wait on each other crosswise)."""
        rows = conn.execute(
            select(self.tracking.c.name, self.tracking.c.position)
            .where(self.tracking.c.name.in_(names))
            .order_by(self.tracking.c.name)
            .with_for_update()
        )
        return {name: int(position) for name, position in rows}

    def failed(self, conn: Connection) -> dict[str, Failure]:
        found = {}
        for row in conn.execute(select(self.failures)).mappings():
            failed_at = row["failed_at"]
            if failed_at.tzinfo is None:  # SQLite keeps no zone: it was written in UTC
                failed_at = failed_at.replace(tzinfo=UTC)
            found[row["name"]] = Failure(
                projection=row["name"],
                position=int(row["position"]),
                topic=row["topic"],
                error_type=row["error_type"],
                message=row["message"],
                failed_at=failed_at,
            )
        return found

    def record_failure(self, conn: Connection, failure: Failure) -> None:
        conn.execute(self.failures.delete().where(self.failures.c.name == failure.projection))
        conn.execute(
            self.failures.insert().values(
                name=failure.projection,
                position=failure.position,
                topic=failure.topic[:300],
                error_type=failure.error_type[:200],
                message=failure.message[:MESSAGE_LIMIT],
                failed_at=failure.failed_at,
            )
        )

    def clear_failure(self, conn: Connection, name: str) -> None:
        conn.execute(self.failures.delete().where(self.failures.c.name == name))

    def fingerprints(self, conn: Connection) -> dict[str, str]:
        rows = conn.execute(select(self.schema.c.name, self.schema.c.fingerprint))
        return {name: value for name, value in rows}

    def set_fingerprint(self, conn: Connection, name: str, value: str) -> None:
        conn.execute(self.schema.delete().where(self.schema.c.name == name))
        conn.execute(self.schema.insert().values(name=name, fingerprint=value))

    def set_fingerprints(self, conn: Connection, projections: Sequence[ProjectionShape]) -> None:
        for projection in projections:
            self.set_fingerprint(conn, projection.name, fingerprint(projection))
