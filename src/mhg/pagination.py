"""Opaque cursors over read models ordered by log position (stable, gap-tolerant)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.engine import Connection, Engine

from mhg.problems import Problem

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_POSITION = 2**63  # a log position is a 64-bit integer on every store
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to read the next page; absent on the last page"
    )


def encode_cursor(position: int) -> str:
    raw = json.dumps({"after": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = data["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Problem(
            422, "invalid-cursor", "Invalid cursor", "the cursor is not one this API issued"
        ) from None
    if type(position) is not int or not 0 <= position < MAX_POSITION:
        raise Problem(
            422, "invalid-cursor", "Invalid cursor", "the cursor is not one this API issued"
        )
    return position


CursorParam = Annotated[
    str | None, Query(max_length=200, description="The `next_cursor` of the previous page")
]
LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]


def read_page(
    source: Engine | Connection,
    table: Table,
    *,
    cursor: str | None,
    limit: int,
    filters: Sequence[ColumnElement[bool]] = (),
    computed: Sequence[ColumnElement[Any]] = (),
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a read model in log order, after the cursor, with the next cursor; each
    row also carries the `computed` (labelled) columns.

    Given a connection, on it (a request that reads more beside the page holds one
    connection, not one per query); given an engine, on a connection of its own."""
    after = decode_cursor(cursor)
    query = (
        select(table, *computed)
        .where(table.c.position > after, *filters)
        .order_by(table.c.position)
        .limit(limit + 1)
    )
    if isinstance(source, Connection):
        rows = [dict(row._mapping) for row in source.execute(query)]
    else:
        with source.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1]["position"]) if more and rows else None
    return rows, next_cursor
