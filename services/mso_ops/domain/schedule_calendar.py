"""Which slots a schedule's days have: each day's sessions (its weekday's rules and its
extra sessions), less what a closure closes and what is published already.

A mixin of `Schedule` (through `TemplateFit`, which holds these sessions to the visit
template): it reads the schedule's time zone, slot length, capacity, days, weekly rules,
exceptions and published slots, and refuses a publication or an extra session that
cannot be.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.mso_ops.domain.availability import (
    WEEKDAYS,
    Closure,
    ExtraSession,
    Hours,
    Occurrence,
    WeeklyRule,
    slot_starts,
    zone,
)
from services.mso_ops.domain.scheduling_errors import (
    InvalidPublication,
    InvalidSchedule,
    NothingToPublish,
    SessionOverlaps,
)
from services.mso_ops.domain.template_limits import Session

MAX_PUBLISHED_DAYS = 92
MAX_PUBLISHED_SLOTS = 3000
MAX_CLOSURE_DAYS = 366


def check_closure(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidSchedule("a closure's times must carry a UTC offset")
    if ends_at <= starts_at:
        raise InvalidSchedule("a closure ends after it starts")
    if ends_at - starts_at > timedelta(days=MAX_CLOSURE_DAYS):
        raise InvalidSchedule(f"a closure lasts at most {MAX_CLOSURE_DAYS} days")


class ScheduleCalendar:
    timezone: str
    slot_minutes: int
    capacity: int
    starts_on: date
    ends_on: date | None
    weekly: tuple[WeeklyRule, ...]
    extra: list[ExtraSession]
    closures: list[Closure]
    published_through: date | None
    published: set[datetime]

    def next_day(self) -> date:
        """The first day not yet published."""
        if self.published_through is None:
            return self.starts_on
        return max(self.starts_on, self.published_through + timedelta(days=1))

    def _sessions(self, day: date) -> list[Session]:
        """The sessions a day has: its weekday's rules and its extra sessions."""
        weekday = WEEKDAYS[day.weekday()]
        weekly = [
            Session(f"weekly[{i}]", rule)
            for i, rule in enumerate(self.weekly)
            if rule.weekday == weekday
        ]
        return weekly + [Session("extra_sessions", e) for e in self.extra if e.day == day]

    def _to_publish(self, through: date) -> tuple[date, date, list[Occurrence]]:
        """The days not yet published up to `through` (within the schedule's), and their
        slots; at most MAX_PUBLISHED_DAYS days and MAX_PUBLISHED_SLOTS slots at once."""
        first = self.next_day()
        last = through if self.ends_on is None else min(through, self.ends_on)
        if last < first:
            raise NothingToPublish(
                f"nothing to publish through {through}: published through "
                f"{self.published_through}, schedule from {self.starts_on} to {self.ends_on}"
            )
        days = (last - first).days + 1
        if days > MAX_PUBLISHED_DAYS:
            raise InvalidPublication(
                f"publish at most {MAX_PUBLISHED_DAYS} days at once; the next is {first}"
            )
        occurrences = [o for n in range(days) for o in self._occurrences(first + timedelta(days=n))]
        if len(occurrences) > MAX_PUBLISHED_SLOTS:
            raise InvalidPublication(
                f"{len(occurrences)} slots: publish at most {MAX_PUBLISHED_SLOTS} at once"
            )
        return first, last, occurrences

    def _occurrences(self, day: date) -> list[Occurrence]:
        found: dict[datetime, Occurrence] = {}
        for session in self._sessions(day):
            for o in self._session(day, session.hours):
                found.setdefault(o.start, o)
        return sorted(found.values(), key=lambda o: o.start)

    def _session(self, day: date, hours: Hours) -> list[Occurrence]:
        tz = zone(self.timezone)
        return [
            Occurrence(day, start, self.slot_minutes, hours.capacity or self.capacity)
            for start in slot_starts(day, hours, self.slot_minutes, tz)
            if start not in self.published and not self.closed_at(start)
        ]

    def closed_at(self, start: datetime) -> bool:
        return any(closure.covers(start, self.slot_minutes) for closure in self.closures)

    def _opened_by(self, session: ExtraSession) -> list[Occurrence]:
        """The slots an extra session opens now: none until its day is published."""
        if self.published_through is None or session.day > self.published_through:
            return []
        return self._session(session.day, session)

    def _check_extra_day(self, session: ExtraSession, today: date) -> None:
        """An extra session is on a day to come, within the schedule's, and overlaps
        neither the day's sessions nor its published slots."""
        session.check(self.slot_minutes)
        if session.day < today:
            raise InvalidSchedule(f"{session.day} has passed")
        if session.day < self.starts_on or (self.ends_on and session.day > self.ends_on):
            raise InvalidSchedule(f"{session.day} is outside the schedule's days")
        weekday = WEEKDAYS[session.day.weekday()]
        planned: list[Hours] = [s for s in self.extra if s.day == session.day]
        if self.published_through is None or session.day > self.published_through:
            planned += [rule for rule in self.weekly if rule.weekday == weekday]
        clash = next((hours for hours in planned if hours.overlaps(session)), None)
        if clash is not None:
            raise SessionOverlaps(f"{session.day} is open {clash.start}-{clash.end} already")
        tz = zone(self.timezone)
        for start in self.published:
            local = start.astimezone(tz)
            if local.date() == session.day:
                taken = Hours(
                    start=local.strftime("%H:%M"),
                    end=(local + timedelta(minutes=self.slot_minutes)).strftime("%H:%M"),
                )
                if taken.end > taken.start and taken.overlaps(session):
                    raise SessionOverlaps(f"a slot at {taken.start} on {session.day} exists")
