"""Recurring availability, and the slot times it makes.

A schedule is open in weekly sessions (a weekday and hours, in the site's local time),
plus one-off extra sessions on a day, minus closures (a window of time). Each session
is cut into slots of the schedule's length; a slot that would run past the session's
end is not made. Wall-clock times that do not exist (the hour a clock skips in spring)
make no slot. Everything here is a pure function of its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.mso_ops.domain.scheduling_errors import InvalidSchedule

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_CAPACITY = 500
MAX_RULES = 50


def zone(name: str) -> ZoneInfo:
    """The IANA time zone of a site, or InvalidSchedule."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule(
            f"{name!r} is not an IANA time zone (e.g. America/Los_Angeles)"
        ) from None


def clock(value: str) -> time:
    """A wall-clock time written HH:MM."""
    try:
        parsed = time.fromisoformat(value)
    except ValueError:
        raise InvalidSchedule(f"{value!r} is not a time of day written HH:MM") from None
    if len(value) != 5 or parsed.second or parsed.microsecond or parsed.tzinfo:
        raise InvalidSchedule(f"{value!r} is not a time of day written HH:MM")
    return parsed


def check_capacity(capacity: int | None) -> None:
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidSchedule(f"a slot takes 1 to {MAX_CAPACITY} bookings")


@dataclass(frozen=True, kw_only=True)
class Hours:
    """A session's hours on one day, and the places each of its slots offers (None: default)."""

    start: str
    end: str
    capacity: int | None = None

    def check(self, slot_minutes: int) -> None:
        start, end = clock(self.start), clock(self.end)
        if end <= start:
            raise InvalidSchedule(f"a session ends after it starts ({self.start}-{self.end})")
        if _minutes(start, end) < slot_minutes:
            raise InvalidSchedule(
                f"the session {self.start}-{self.end} is shorter than one {slot_minutes}-minute slot"
            )
        check_capacity(self.capacity)

    @property
    def minutes(self) -> int:
        return _minutes(clock(self.start), clock(self.end))

    def overlaps(self, other: Hours) -> bool:
        return clock(self.start) < clock(other.end) and clock(other.start) < clock(self.end)


@dataclass(frozen=True, kw_only=True)
class WeeklyRule(Hours):
    weekday: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> WeeklyRule:
        return cls(
            weekday=data["weekday"],
            start=data["start"],
            end=data["end"],
            capacity=data.get("capacity"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "start": self.start,
            "end": self.end,
            "capacity": self.capacity,
        }


@dataclass(frozen=True, kw_only=True)
class ExtraSession(Hours):
    session_id: UUID
    day: date
    reason: str


@dataclass(frozen=True)
class Closure:
    closure_id: UUID
    starts_at: datetime
    ends_at: datetime
    reason: str

    def covers(self, start: datetime, minutes: int) -> bool:
        return start < self.ends_at and start + timedelta(minutes=minutes) > self.starts_at


@dataclass(frozen=True)
class Occurrence:
    """A slot to open: its local day, its start (UTC), its length and its places."""

    day: date
    start: datetime
    minutes: int
    capacity: int


def check_weekly(rules: Iterable[WeeklyRule], slot_minutes: int) -> tuple[WeeklyRule, ...]:
    checked = tuple(rules)
    if len(checked) > MAX_RULES:
        raise InvalidSchedule(f"a schedule has at most {MAX_RULES} weekly rules")
    for index, rule in enumerate(checked):
        if rule.weekday not in WEEKDAYS:
            raise InvalidSchedule(f"weekday must be one of {', '.join(WEEKDAYS)}")
        rule.check(slot_minutes)
        for other in checked[:index]:
            if other.weekday == rule.weekday and other.overlaps(rule):
                raise InvalidSchedule(
                    f"the {rule.weekday} sessions {other.start}-{other.end} and "
                    f"{rule.start}-{rule.end} overlap"
                )
    return checked


def slot_starts(day: date, hours: Hours, minutes: int, tz: ZoneInfo) -> Iterator[datetime]:
    """The UTC starts of the slots a session makes on a local day."""
    step = timedelta(minutes=minutes)
    local = datetime.combine(day, clock(hours.start))
    end = datetime.combine(day, clock(hours.end))
    while local + step <= end:
        start = local.replace(tzinfo=tz).astimezone(UTC)
        if start.astimezone(tz).replace(tzinfo=None) == local:  # skipped by a DST change
            yield start
        local += step


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
