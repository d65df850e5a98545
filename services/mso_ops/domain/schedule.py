"""A schedule: when a service line runs at a site under one PC-approved visit template.

The PC decides patient volume per clinician and clinician hours in its visit templates;
the MSO schedules inside them (template_limits.py). A schedule is created only while a
version of its template is in force for its line and site on its first day, and
publishes only days on which a version is in force whose limits it keeps: a day past a
retirement, or under a later version the schedule breaks, is refused whole (409) and
nothing is published. Weekly rules say when the schedule is open; extra sessions and closures are
one-off exceptions. Slots exist once published: publishing a period makes the slots
its days have, so a vendor can find and book them. A change of the weekly rules shapes
the periods published after it; an exception applies to published slots at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
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
from services.mso_ops.domain.schedule_fit import TemplateFit
from services.mso_ops.domain.scheduling_errors import (
    InvalidPublication,
    InvalidSchedule,
    NothingToPublish,
    SessionOverlaps,
)
from services.mso_ops.domain.template_limits import (
    MAX_CLINICIANS,
    Session,
    require_fit,
    weekly_days,
)
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion

MAX_PUBLISHED_DAYS = 92
MAX_PUBLISHED_SLOTS = 3000
MAX_CLOSURE_DAYS = 366


class Schedule(TemplateFit, Aggregate):
    class Created(Aggregate.Created):
        """v1 named its template in free text; v2 names a PC template and its clinicians."""

        class_version = 2
        site_id: UUID
        service_line: str
        name: str
        template_id: UUID | None
        applied_template: dict[str, Any] | None
        template_label: str | None
        clinicians: int
        timezone: str
        slot_minutes: int
        capacity: int
        starts_on: date
        ends_on: date | None
        weekly: list[dict[str, object]]
        meta: Meta

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["template_label"] = state.pop("template")
            state["template_id"] = None
            state["applied_template"] = None
            state["clinicians"] = 1

    @classmethod
    def create(
        cls,
        *,
        schedule_id: UUID,
        site_id: UUID,
        service_line: str,
        name: str,
        template: TemplateVersion,
        clinicians: int,
        timezone: str,
        slot_minutes: int,
        capacity: int,
        starts_on: date,
        ends_on: date | None,
        weekly: list[WeeklyRule],
        meta: Meta,
    ) -> Schedule:
        """`template` is the version in force for the line and site on `starts_on`."""
        zone(timezone)
        if not 5 <= slot_minutes <= 480:
            raise InvalidSchedule("a slot lasts 5 to 480 minutes", field="slot_minutes")
        check_capacity(capacity)
        if not 1 <= clinicians <= MAX_CLINICIANS:
            raise InvalidSchedule(
                f"a session is staffed by 1 to {MAX_CLINICIANS} clinicians", field="clinicians"
            )
        if ends_on is not None and ends_on < starts_on:
            raise InvalidSchedule("a schedule ends on or after the day it starts")
        rules = check_weekly(weekly, slot_minutes)
        require_fit(
            template,
            slot_minutes=slot_minutes,
            capacity=capacity,
            clinicians=clinicians,
            days=weekly_days(rules),
            day_field="weekly",
        )
        return cls(
            id=schedule_id,
            site_id=site_id,
            service_line=service_line,
            name=name,
            template_id=template.template_id,
            applied_template=template.applied(),
            template_label=None,
            clinicians=clinicians,
            timezone=timezone,
            slot_minutes=slot_minutes,
            capacity=capacity,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly=[rule.as_dict() for rule in rules],
            meta=meta,
        )

    @event(Created)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        name: str,
        template_id: UUID | None,
        applied_template: dict[str, Any] | None,
        template_label: str | None,
        clinicians: int,
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
        self.template_id = template_id
        self.applied_template = applied_template  # the version last applied, and its limits
        self.template_label = template_label  # free text, on schedules made before templates
        self.clinicians = clinicians
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

    def replace_weekly(
        self, weekly: list[WeeklyRule], templates: TemplateHistory, meta: Meta
    ) -> None:
        """New rules must fit the version in force on the next day to publish."""
        rules = check_weekly(weekly, self.slot_minutes)
        self._require_fit(
            self._version_on(self.next_day(), templates), weekly_days(rules), "weekly"
        )
        self._weekly_replaced(weekly=[rule.as_dict() for rule in rules], meta=meta)

    class WeeklyRulesReplaced(Aggregate.Event):
        weekly: list[dict[str, object]]
        meta: Meta

    @event(WeeklyRulesReplaced)
    def _weekly_replaced(self, weekly: list[dict[str, object]], meta: Meta) -> None:
        self.weekly = tuple(WeeklyRule.of(rule) for rule in weekly)

    # -- publication -----------------------------------------------------------

    def next_day(self) -> date:
        """The first day not yet published."""
        if self.published_through is None:
            return self.starts_on
        return max(self.starts_on, self.published_through + timedelta(days=1))

    def publish(self, *, through: date, templates: TemplateHistory, meta: Meta) -> list[Occurrence]:
        """Publish the slots of every day not yet published, up to `through`.

        Every day that opens slots must be under a version of the schedule's template
        whose limits the schedule keeps; otherwise nothing is published (409).
        """
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
        applied = [self._applied_on(day, templates) for day in sorted({o.day for o in occurrences})]
        self._published(
            first=first,
            through=last,
            starts=[o.start for o in occurrences],
            applied_template=applied[-1].applied() if applied else None,
            meta=meta,
        )
        return occurrences

    class SlotsPublished(Aggregate.Event):
        first: date
        through: date
        starts: list[datetime]
        meta: Meta
        applied_template: dict[str, Any] | None = None

    @event(SlotsPublished)
    def _published(
        self,
        first: date,
        through: date,
        starts: list[datetime],
        meta: Meta,
        applied_template: dict[str, Any] | None = None,
    ) -> None:
        self.published_through = through
        self.published.update(starts)
        if applied_template is not None:
            self.applied_template = applied_template

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

    class ClosureAdded(Aggregate.Event):
        closure_id: UUID
        starts_at: datetime
        ends_at: datetime
        reason: str
        closed: list[datetime]
        meta: Meta

    @event(ClosureAdded)
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
        self, *, session: ExtraSession, today: date, templates: TemplateHistory, meta: Meta
    ) -> list[Occurrence]:
        """Open an extra session on a day; its slots open now if that day is published.

        The day, with the session, must fit the template version in force on it."""
        session.check(self.slot_minutes)
        if session.day < today:
            raise InvalidSchedule(f"{session.day} has passed")
        if session.day < self.starts_on or (self.ends_on and session.day > self.ends_on):
            raise InvalidSchedule(f"{session.day} is outside the schedule's days")
        self._check_free(session)
        day = [*self._sessions(session.day), Session("", session)]
        version = self._version_on(session.day, templates)
        self._require_fit(version, {str(session.day): day}, "end")
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

    class ExtraSessionAdded(Aggregate.Event):
        session_id: UUID
        day: date
        start: str
        end: str
        capacity: int | None
        reason: str
        opened: list[datetime]
        meta: Meta

    @event(ExtraSessionAdded)
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
