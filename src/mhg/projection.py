"""Read models built from the event log, each with its position stored beside its rows.

A projection names the event topics it reads and applies each event to its tables in
the same transaction that advances its tracking row, so a crash can neither lose nor
repeat an event. `mhg.projection_runner` keeps them caught up, each on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic
from sqlalchemy import Table
from sqlalchemy.engine import Connection, Transaction

from mhg.projection_state import tracking_table

__all__ = ["Handler", "Projection", "batch_memo", "tracking_table"]

Handler = Callable[[Connection, Any, int], None]


_memos: WeakKeyDictionary[Transaction, dict[object, dict[Any, Any]]] = WeakKeyDictionary()


def batch_memo(conn: Connection, owner: object) -> dict[Any, Any]:
    """A dict in which `owner` (a projection's helper, or a `(helper, kind)` pair for each
    kind of row it keeps) keeps what it wrote or read in `conn`.

    A projection may answer from it instead of selecting again, provided it writes
    through to its tables (so that dropping the memo is always safe) and nothing but
    itself changes what it remembers. The memo lasts as long as the transaction (a
    runner's batch); a replay, sole writer of a fresh store, keeps it for the whole
    replay. Outside a transaction it is empty every time.
    """
    memo: Callable[[object], dict[Any, Any]] | None = getattr(conn, "memo", None)
    if memo is not None:  # a replay's connection (`mhg.replay_rows.BufferedConnection`)
        return memo(owner)
    transaction = conn.get_transaction()
    if transaction is None:
        return {}
    owners = _memos.get(transaction)
    if owners is None:
        owners = _memos[transaction] = {}
    found = owners.get(owner)
    if found is None:
        found = owners[owner] = {}
    return found


@dataclass
class Projection:
    """A read model: its tables and a handler per event class it reads."""

    name: str
    tables: Sequence[Table]
    handlers: dict[type[Any], Handler]
    version: int = 1
    """Bump it when a handler's meaning changes: the projection is then rebuilt at startup."""

    @property
    def topics(self) -> list[str]:
        return [get_topic(cls) for cls in self.handlers]

    def apply(self, conn: Connection, event: DomainEventProtocol[UUID], position: int) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(conn, event, position)
