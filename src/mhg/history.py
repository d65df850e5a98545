"""An aggregate's history: every event it is made of, as who did what and when.

The history is read from the event log alone (the aggregate's stored events, decoded
through the application's mapper) and says only what the event log says about the
act itself: its version, its type, when it was recorded and the metadata every event
carries (actor, organisation, request, correlation and causation). No other event
attribute is copied out, so a history never shows a patient's data or a document's
content; read the aggregate itself, under its own rules, for that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from mhg.bounded import Instant, Line
from mhg.errors import NotFound
from mhg.eventstore import ServiceApplication
from mhg.pagination import CursorParam, LimitParam, Page, decode_cursor, encode_cursor
from mhg.web import on_the_loop

READ_BATCH = 100


class HistoryEntry(BaseModel):
    """One event of an aggregate: the act, its time and who did it for whom, in which request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 2,
                    "type": "AuthorizationRequested",
                    "recorded_at": "2026-11-23T14:05:00Z",
                    "actor_id": "ann",
                    "actor_role": "mso_admin",
                    "actor_org": "mso",
                    "request_id": "req-42",
                    "correlation_id": "demo-1",
                    "causation_id": "req-42",
                }
            ]
        }
    )

    version: int = Field(description="The aggregate's version this event made")
    type: str = Field(description="The event's class name")
    recorded_at: datetime
    actor_id: str | None
    actor_role: str | None
    actor_org: str | None
    request_id: str | None
    correlation_id: str | None
    causation_id: str | None = Field(
        description="What caused it: a request id, or the id of the contract message it applies"
    )

    @classmethod
    def of(cls, event: Any) -> HistoryEntry:
        meta = getattr(event, "meta", None)
        return cls(
            version=event.originator_version,
            type=type(event).__name__,
            recorded_at=event.timestamp,
            actor_id=getattr(meta, "actor_id", None),
            actor_role=getattr(meta, "actor_role", None),
            actor_org=getattr(meta, "actor_org", None),
            request_id=getattr(meta, "request_id", None),
            correlation_id=getattr(meta, "correlation_id", None),
            causation_id=getattr(meta, "causation_id", None),
        )


class HistoryFilter(BaseModel):
    types: frozenset[str] = frozenset()
    recorded_from: datetime | None = None
    recorded_before: datetime | None = None

    def admits(self, entry: HistoryEntry) -> bool:
        if self.types and entry.type not in self.types:
            return False
        if self.recorded_from is not None and entry.recorded_at < self.recorded_from:
            return False
        return self.recorded_before is None or entry.recorded_at < self.recorded_before


EventType = Annotated[str, Line(100, min_length=1, strip_whitespace=False)]


async def history_filter(
    event_types: Annotated[
        list[EventType] | None,
        Query(alias="type", max_length=20, description="Only events of these types (repeat)"),
    ] = None,
    recorded_from: Annotated[
        Instant | None, Query(description="Only events recorded at or after")
    ] = None,
    recorded_before: Annotated[
        Instant | None, Query(description="Only events recorded before")
    ] = None,
) -> HistoryFilter:
    return HistoryFilter(
        types=frozenset(event_types or ()),
        recorded_from=recorded_from,
        recorded_before=recorded_before,
    )


HistoryQuery = Annotated[HistoryFilter, Depends(history_filter)]


def events_of(
    app: ServiceApplication, aggregate_id: UUID, *, after: int = 0, batch: int = READ_BATCH
) -> Iterator[Any]:
    """The aggregate's events after a version, in order, decoded (read in batches)."""
    while True:
        stored = app.recorder.select_events(aggregate_id, gt=after, limit=batch)
        for item in stored:
            yield app.mapper.to_domain_event(item)
        if len(stored) < batch:
            return
        after = stored[-1].originator_version


def history_page(
    app: ServiceApplication,
    aggregate_id: UUID,
    kind: type[Aggregate],
    missing: NotFound,
    *,
    cursor: str | None,
    limit: int,
    only: HistoryFilter | None = None,
) -> Page[HistoryEntry]:
    """A page of the aggregate's history, oldest first; `missing` if there is no such `kind`.

    An id that names another kind of aggregate is as unknown here as one never used,
    so a history route cannot be used to learn what else exists.
    """
    only = only or HistoryFilter()
    after = decode_cursor(cursor)
    first = next(events_of(app, aggregate_id, batch=1), None)
    if first is None or not isinstance(first, kind.Event):
        raise missing
    items: list[HistoryEntry] = []
    more = False
    for event in events_of(app, aggregate_id, after=after, batch=max(limit + 1, READ_BATCH)):
        entry = HistoryEntry.of(event)
        if not only.admits(entry):
            continue
        if len(items) == limit:
            more = True
            break
        items.append(entry)
    next_cursor = encode_cursor(items[-1].version) if more and items else None
    return Page[HistoryEntry](items=items, next_cursor=next_cursor)


class HistoryRequest:
    """What a history route is asked, the same on every record: which events (`only`), after
    which cursor, how many. A route hands over the record and says what is missing:

        def site_history(site_id: UUID, ops: Ops, history: History) -> Page[HistoryEntry]:
            return history.page(ops, site_id, Site, SiteNotFound(f"no site {site_id}"))
    """

    def __init__(
        self, only: HistoryQuery, cursor: CursorParam = None, limit: LimitParam = 50
    ) -> None:
        self.only = only
        self.cursor = cursor
        self.limit = limit

    def page(
        self, app: ServiceApplication, aggregate_id: UUID, kind: type[Aggregate], missing: NotFound
    ) -> Page[HistoryEntry]:
        return history_page(
            app, aggregate_id, kind, missing, cursor=self.cursor, limit=self.limit, only=self.only
        )


History = Annotated[HistoryRequest, Depends(on_the_loop(HistoryRequest))]
