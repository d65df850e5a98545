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

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.availability import (
    Closure,
    ExtraSession,
    Occurrence,
    WeeklyRule,
)
from services.mso_ops.domain.schedule_calendar import check_closure
from services.mso_ops.domain.schedule_fit import TemplateFit, check_new_schedule
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion


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
        rules = check_new_schedule(
            template,
            timezone=timezone,
            slot_minutes=slot_minutes,
            capacity=capacity,
            clinicians=clinicians,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly=weekly,
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
        rules = self._fitting_weekly(weekly, templates)
        self._weekly_replaced(weekly=[rule.as_dict() for rule in rules], meta=meta)

    class WeeklyRulesReplaced(Aggregate.Event):
        weekly: list[dict[str, object]]
        meta: Meta

    @event(WeeklyRulesReplaced)
    def _weekly_replaced(self, weekly: list[dict[str, object]], meta: Meta) -> None:
        self.weekly = tuple(WeeklyRule.of(rule) for rule in weekly)

    # -- publication -----------------------------------------------------------

    def publish(self, *, through: date, templates: TemplateHistory, meta: Meta) -> list[Occurrence]:
        """Publish the slots of every day not yet published, up to `through`.

        Every day that opens slots must be under a version of the schedule's template
        whose limits the schedule keeps; otherwise nothing is published (409).
        """
        first, last, occurrences = self._to_publish(through)
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

    # -- exceptions ------------------------------------------------------------

    def add_closure(
        self, *, closure_id: UUID, starts_at: datetime, ends_at: datetime, reason: str, meta: Meta
    ) -> list[datetime]:
        """Close a window; returns the starts of the published slots it closes."""
        check_closure(starts_at, ends_at)
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
        self._check_extra_day(session, today)
        self._require_fit_with(session, templates)
        opened = self._opened_by(session)
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
