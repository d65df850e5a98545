"""Facility incidents and site downtime windows (the input of the site-reliability KPI).

An incident is something that went wrong at a site's facility (power, water, IT...),
reported and later resolved. A downtime window is a stretch when a site was closed
when it should have been open; it may be recorded while still going on and ended
later, and a window recorded in error is withdrawn (never deleted). Descriptions are
about the building, never about a patient.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, get_args
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.facilities_errors import (
    DowntimeNotOpen,
    DowntimeWithdrawn,
    IncidentAlreadyResolved,
    InvalidDowntime,
    InvalidIncident,
)

IncidentCategory = Literal[
    "power",
    "water",
    "hvac",
    "it_outage",
    "network",
    "security",
    "building_damage",
    "cleanliness",
    "equipment_non_clinical",
    "other",
]
INCIDENT_CATEGORIES: tuple[IncidentCategory, ...] = get_args(IncidentCategory)
OPEN = "open"
RESOLVED = "resolved"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
MAX_DOWNTIME = timedelta(days=92)


def _aware(*moments: datetime | None) -> bool:
    return all(m is None or m.tzinfo is not None for m in moments)


class FacilityIncident(Aggregate):
    @classmethod
    def report(
        cls,
        *,
        incident_id: UUID,
        site_id: UUID,
        occurred_at: datetime,
        category: str,
        description: str,
        meta: Meta,
    ) -> FacilityIncident:
        if not _aware(occurred_at):
            raise InvalidIncident("occurred_at must carry a UTC offset", field="occurred_at")
        if category not in INCIDENT_CATEGORIES:
            raise InvalidIncident(f"unknown category {category!r}", field="category")
        if not description.strip():
            raise InvalidIncident("describe what happened", field="description")
        return cls(
            id=incident_id,
            site_id=site_id,
            occurred_at=occurred_at,
            category=category,
            description=description.strip(),
            meta=meta,
        )

    class Reported(Aggregate.Created):
        site_id: UUID
        occurred_at: datetime
        category: str
        description: str
        meta: Meta

    @event(Reported)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        occurred_at: datetime,
        category: str,
        description: str,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.occurred_at = occurred_at
        self.category = category
        self.description = description
        self.status = OPEN
        self.resolved_at: datetime | None = None
        self.resolution: str | None = None

    def resolve(self, *, resolved_at: datetime, resolution: str, meta: Meta) -> None:
        if self.status == RESOLVED:
            raise IncidentAlreadyResolved(f"the incident was resolved at {self.resolved_at}")
        if not _aware(resolved_at) or resolved_at < self.occurred_at:
            raise InvalidIncident(
                "resolved_at must carry a UTC offset and not precede occurred_at",
                field="resolved_at",
            )
        self._resolved(resolved_at=resolved_at, resolution=resolution.strip(), meta=meta)

    class Resolved(Aggregate.Event):
        resolved_at: datetime
        resolution: str
        meta: Meta

    @event(Resolved)
    def _resolved(self, resolved_at: datetime, resolution: str, meta: Meta) -> None:
        self.status = RESOLVED
        self.resolved_at = resolved_at
        self.resolution = resolution


def _check_window(start: datetime, end: datetime | None) -> None:
    if not _aware(start, end):
        raise InvalidDowntime("start and end must carry a UTC offset")
    if end is not None and end <= start:
        raise InvalidDowntime("a downtime window must end after it starts", field="end")
    if end is not None and end - start > MAX_DOWNTIME:
        raise InvalidDowntime("a downtime window lasts at most 92 days", field="end")


class DowntimeWindow(Aggregate):
    @classmethod
    def record(
        cls,
        *,
        window_id: UUID,
        site_id: UUID,
        start: datetime,
        end: datetime | None,
        cause: str,
        incident_id: UUID | None,
        meta: Meta,
    ) -> DowntimeWindow:
        _check_window(start, end)
        if not cause.strip():
            raise InvalidDowntime("name the cause", field="cause")
        return cls(
            id=window_id,
            site_id=site_id,
            start=start,
            end=end,
            cause=cause.strip(),
            incident_id=incident_id,
            meta=meta,
        )

    class Recorded(Aggregate.Created):
        site_id: UUID
        start: datetime
        end: datetime | None
        cause: str
        incident_id: UUID | None
        meta: Meta

    @event(Recorded)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        start: datetime,
        end: datetime | None,
        cause: str,
        incident_id: UUID | None,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.start = start
        self.end = end
        self.cause = cause
        self.incident_id = incident_id
        self.status = OPEN if end is None else CLOSED
        self.withdrawal_reason: str | None = None

    def close(self, *, end: datetime, meta: Meta) -> None:
        if self.status != OPEN:
            raise DowntimeNotOpen(f"the window is {self.status}")
        _check_window(self.start, end)
        self._ended(end=end, meta=meta)

    def withdraw(self, *, reason: str, meta: Meta) -> None:
        if self.status == WITHDRAWN:
            raise DowntimeWithdrawn("the window was withdrawn already")
        self._withdrawn(reason=reason, meta=meta)

    class Ended(Aggregate.Event):
        end: datetime
        meta: Meta

    @event(Ended)
    def _ended(self, end: datetime, meta: Meta) -> None:
        self.end = end
        self.status = CLOSED

    class Withdrawn(Aggregate.Event):
        reason: str
        meta: Meta

    @event(Withdrawn)
    def _withdrawn(self, reason: str, meta: Meta) -> None:
        self.status = WITHDRAWN
        self.withdrawal_reason = reason


def minutes_by_month(start: datetime, end: datetime) -> dict[str, int]:
    """Whole minutes of [start, end) in each calendar month ("YYYY-MM").

    Months are those of the offset the window was recorded with (the site's local time
    as the reporter gave it). Each month's share is rounded down to a whole minute.
    """
    local_end = end.astimezone(start.tzinfo)
    shares: dict[str, int] = {}
    cursor = start
    while cursor < local_end:
        first_of_next = (cursor.replace(day=1) + timedelta(days=32)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        stop = min(first_of_next, local_end)
        key = f"{cursor.year:04d}-{cursor.month:02d}"
        shares[key] = shares.get(key, 0) + int((stop - cursor).total_seconds() // 60)
        cursor = stop
    return shares
