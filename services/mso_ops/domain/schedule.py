"""A schedule: when a service line runs at a site under one clinician template.

The template names the PC-approved staffing template the MSO schedules within (the
PC decides patient volume per clinician and clinician hours; the MSO schedules inside
them). Weekly rules say when the schedule is open; extra sessions and closures are
one-off exceptions. Slots exist once published: publishing a period makes the slots
its days have, so a vendor can find and book them. A change of the weekly rules shapes
the periods published after it; an exception applies to published slots at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.availability import (
    WEEKDAYS,
    Closure,
    ExtraSession,
    Hours,
    Occurrence,
    WeeklyRule,
    check_capacity,
    check_weekly,
    slot_starts,
    zone,
)
from services.mso_ops.domain.scheduling_errors import (
    InvalidPublication,
    InvalidSchedule,
    NothingToPublish,
    SessionOverlaps,
)

MAX_PUBLISHED_DAYS = 92
MAX_PUBLISHED_SLOTS = 3000
MAX_CLOSURE_DAYS = 366


class Schedule(Aggregate):
    @classmethod
    def create(
        cls,
        *,
        schedule_id: UUID,
        site_id: UUID,
        service_line: str,
        name: str,
        template: str,
        timezone: str,
        slot_minutes: int,
        capacity: int,
        starts_on: date,
        ends_on: date | None,
        weekly: list[WeeklyRule],
        meta: Meta,
    ) -> Schedule:
        zone(timezone)
        if not 5 <= slot_minutes <= 480:
            raise InvalidSchedule("a slot lasts 5 to 480 minutes")
        check_capacity(capacity)
        if ends_on is not None and ends_on < starts_on:
            raise InvalidSchedule("a schedule ends on or after the day it starts")
        rules = check_weekly(weekly, slot_minutes)
        return cls(
            id=schedule_id,
            site_id=site_id,
            service_line=service_line,
            name=name,
            template=template,
            timezone=timezone,
            slot_minutes=slot_minutes,
            capacity=capacity,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly=[rule.as_dict() for rule in rules],
            meta=meta,
        )

    @event("Created")
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        name: str,
        template: str,
        timezone: str,
        slot_minutes: int,
        capacity: int,
        starts_on: date,
        ends_on: date | None,
        weekly: list[dict[str, object]],
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.name = name
        self.template = template
        self.timezone = timezone
        self.slot_minutes = slot_minutes
        self.capacity = capacity
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.weekly = tuple(WeeklyRule.of(rule) for rule in weekly)
        self.extra: list[ExtraSession] = []
        self.closures: list[Closure] = []
        self.published_through: date | None = None
        self.published: set[datetime] = set()

    # -- weekly rules --------------------------------------------------------

    def replace_weekly(self, weekly: list[WeeklyRule], meta: Meta) -> None:
        rules = check_weekly(weekly, self.slot_minutes)
        self._weekly_replaced(weekly=[rule.as_dict() for rule in rules], meta=meta)

    @event("WeeklyRulesReplaced")
    def _weekly_replaced(self, weekly: list[dict[str, object]], meta: Meta) -> None:
        self.weekly = tuple(WeeklyRule.of(rule) for rule in weekly)

    # -- publication -----------------------------------------------------------

    def publish(self, *, through: date, meta: Meta) -> list[Occurrence]:
        """Publish the slots of every day not yet published, up to `through`."""
        first = self.starts_on
        if self.published_through is not None:
            first = max(first, self.published_through + timedelta(days=1))
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
        self._published(first=first, through=last, starts=[o.start for o in occurrences], meta=meta)
        return occurrences

    @event("SlotsPublished")
    def _published(self, first: date, through: date, starts: list[datetime], meta: Meta) -> None:
        self.published_through = through
        self.published.update(starts)

    def _occurrences(self, day: date) -> list[Occurrence]:
        weekday = WEEKDAYS[day.weekday()]
        sessions: list[Hours] = [rule for rule in self.weekly if rule.weekday == weekday]
        sessions += [session for session in self.extra if session.day == day]
        found: dict[datetime, Occurrence] = {}
        for hours in sessions:
            for o in self._session(day, hours):
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

    # -- exceptions ------------------------------------------------------------

    def add_closure(
        self, *, closure_id: UUID, starts_at: datetime, ends_at: datetime, reason: str, meta: Meta
    ) -> list[datetime]:
        """Close a window; returns the starts of the published slots it closes."""
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise InvalidSchedule("a closure's times must carry a UTC offset")
        if ends_at <= starts_at:
            raise InvalidSchedule("a closure ends after it starts")
        if ends_at - starts_at > timedelta(days=MAX_CLOSURE_DAYS):
            raise InvalidSchedule(f"a closure lasts at most {MAX_CLOSURE_DAYS} days")
        closure = Closure(closure_id, starts_at, ends_at, reason)
        closed = sorted(s for s in self.published if closure.covers(s, self.slot_minutes))
        self._closure_added(
            closure_id=closure_id,
            starts_at=starts_at.astimezone(UTC),
            ends_at=ends_at.astimezone(UTC),
            reason=reason,
            closed=closed,
            meta=meta,
        )
        return closed

    @event("ClosureAdded")
    def _closure_added(
        self,
        closure_id: UUID,
        starts_at: datetime,
        ends_at: datetime,
        reason: str,
        closed: list[datetime],
        meta: Meta,
    ) -> None:
        self.closures.append(Closure(closure_id, starts_at, ends_at, reason))

    def add_extra_session(
        self, *, session: ExtraSession, today: date, meta: Meta
    ) -> list[Occurrence]:
        """Open an extra session on a day; its slots open now if that day is published."""
        session.check(self.slot_minutes)
        if session.day < today:
            raise InvalidSchedule(f"{session.day} has passed")
        if session.day < self.starts_on or (self.ends_on and session.day > self.ends_on):
            raise InvalidSchedule(f"{session.day} is outside the schedule's days")
        self._check_free(session)
        published = self.published_through is not None and session.day <= self.published_through
        opened = self._session(session.day, session) if published else []
        self._extra_added(
            session_id=session.session_id,
            day=session.day,
            start=session.start,
            end=session.end,
            capacity=session.capacity,
            reason=session.reason,
            opened=[o.start for o in opened],
            meta=meta,
        )
        return opened

    def _check_free(self, session: ExtraSession) -> None:
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

    @event("ExtraSessionAdded")
    def _extra_added(
        self,
        session_id: UUID,
        day: date,
        start: str,
        end: str,
        capacity: int | None,
        reason: str,
        opened: list[datetime],
        meta: Meta,
    ) -> None:
        self.extra.append(
            ExtraSession(
                session_id=session_id,
                day=day,
                start=start,
                end=end,
                capacity=capacity,
                reason=reason,
            )
        )
        self.published.update(opened)
