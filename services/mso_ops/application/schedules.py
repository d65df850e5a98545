"""Schedules: their weekly rules, their exceptions, and the slots they publish.

A publication, an extra session and a closure save the schedule's event together with
the slots they open or close, atomically: a slot exists exactly when its schedule says
it was published, and a closure either closes every slot in its window or none.

Each is judged against the site's operating term the PC approved, in force on the day it
takes effect (domain/operating_term.py): a new schedule's rules and clinicians on its
first day, new rules on the next day to publish, each slot published on its day, an
extra session on its day. Outside it: 409 `operating-term-exceeded`, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.accounts import demand_link
from services.mso_ops.application.operating_terms import OperatingTerms
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.application.slots import SlotCommands, retried
from services.mso_ops.application.visit_templates import VisitTemplateCommands
from services.mso_ops.domain.account import EVENT
from services.mso_ops.domain.availability import (
    WEEKDAYS,
    ExtraSession,
    Occurrence,
    WeeklyRule,
    zone,
)
from services.mso_ops.domain.operating_term import (
    HOURS,
    STAFFING_MODEL,
    require_hours,
    require_slots,
    require_staffing,
)
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.scheduling_errors import ScheduleNotFound
from services.mso_ops.domain.slot import OPEN, Slot


@dataclass(eq=False)
class ScheduleCommands:
    store: ServiceApplication
    sites: SiteCommands
    visit_templates: VisitTemplateCommands
    slots: SlotCommands
    operating_terms: OperatingTerms

    def create_schedule(
        self,
        *,
        site_id: UUID,
        code: str,
        template_id: UUID,
        starts_on: date,
        meta: Meta,
        **rest: Any,
    ) -> Schedule:
        """A schedule of a line proposed at the site, on the template in force on its first
        day; `rest` is the schedule's own terms (`Schedule.create`)."""
        self.sites.service_line(site_id, code)  # 404 unless the line is proposed at the site
        template = self.visit_templates.template_in_force(
            template_id, service_line=code, site_id=site_id, day=starts_on
        )
        schedule = Schedule.create(
            site_id=site_id,
            service_line=code,
            template=template,
            starts_on=starts_on,
            meta=meta,
            **rest,
        )
        self._within_hours(schedule, schedule.weekly, starts_on)
        staffing = self.operating_terms.in_force(site_id, STAFFING_MODEL, starts_on)
        require_staffing(staffing, clinicians=schedule.clinicians, on=starts_on)
        self.store.record(schedule)
        return schedule

    def _within_hours(self, schedule: Schedule, rules: tuple[WeeklyRule, ...], on: date) -> None:
        """Weekly rules within the site's approved hours in force on a day."""
        term = self.operating_terms.in_force(schedule.site_id, HOURS, on)
        require_hours(term, [(rule.weekday, rule) for rule in rules], on.isoformat())

    def schedule(self, schedule_id: UUID) -> Schedule:
        return self.store.load_as(
            Schedule, schedule_id, ScheduleNotFound, f"no schedule {schedule_id}"
        )

    schedule_exists = is_recorded

    def replace_weekly_rules(
        self,
        *,
        schedule_id: UUID,
        weekly: list[WeeklyRule],
        expected_version: int | None,
        meta: Meta,
    ) -> Schedule:
        return self.store.change(
            self.schedule(schedule_id),
            expected_version,
            lambda schedule: self._replace_weekly(schedule, weekly, meta),
        )

    def _replace_weekly(self, schedule: Schedule, weekly: list[WeeklyRule], meta: Meta) -> None:
        schedule.replace_weekly(
            weekly, self.visit_templates.template_history(schedule.template_id), meta
        )
        self._within_hours(schedule, schedule.weekly, schedule.next_day())

    def publish_slots(
        self, *, schedule_id: UUID, through: date, expected_version: int | None, meta: Meta
    ) -> tuple[Schedule, int]:
        schedule = self.schedule(schedule_id)
        self.store.check_version(schedule, expected_version)
        templates = self.visit_templates.template_history(schedule.template_id)
        opened = schedule.publish(through=through, templates=templates, meta=meta)
        self._within_term(schedule, opened)
        self.store.record(schedule, *self._open(schedule, opened, meta))
        return schedule, len(opened)

    def add_extra_session(
        self,
        *,
        schedule_id: UUID,
        session: ExtraSession,
        expected_version: int | None,
        meta: Meta,
        account_id: UUID | None = None,
    ) -> tuple[Schedule, int]:
        """Open an extra session (an event day), linked to the account it is held for if it
        names one."""
        schedule = self.schedule(schedule_id)
        self.store.check_version(schedule, expected_version)
        today = clock.now().astimezone(zone(schedule.timezone)).date()
        opened = schedule.add_extra_session(
            session=session,
            today=today,
            templates=self.visit_templates.template_history(schedule.template_id),
            meta=meta,
        )
        term = self.operating_terms.in_force(schedule.site_id, HOURS, session.day)
        weekday = WEEKDAYS[session.day.weekday()]
        require_hours(term, [(weekday, session)], session.day.isoformat())
        link = demand_link(
            self.store,
            account_id,
            demand=EVENT,
            demand_id=session.session_id,
            site_id=schedule.site_id,
            on=session.day,
            meta=meta,
        )
        self.store.record(schedule, *self._open(schedule, opened, meta), link)
        return schedule, len(opened)

    def add_closure(
        self,
        *,
        schedule_id: UUID,
        closure_id: UUID,
        starts_at: datetime,
        ends_at: datetime,
        reason: str,
        expected_version: int | None,
        meta: Meta,
    ) -> tuple[Schedule, int]:
        """Close a window: refused, with nothing written, if any slot in it holds a booking."""

        def attempt() -> tuple[Schedule, int]:
            schedule = self.schedule(schedule_id)
            self.store.check_version(schedule, expected_version)
            starts = schedule.add_closure(
                closure_id=closure_id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=reason,
                meta=meta,
            )
            slots = [self.slots.slot(Slot.create_id(schedule.id, start)) for start in starts]
            slots = [slot for slot in slots if slot.status == OPEN]
            for slot in slots:
                slot.close(closure_id=closure_id, reason=reason, meta=meta)
            self.store.record(schedule, *slots)
            return schedule, len(slots)

        return retried(attempt)

    def _within_term(self, schedule: Schedule, opened: list[Occurrence]) -> None:
        """Every slot a publication opens within the hours, and the schedule's clinicians
        within the staffing model, in force on its day."""
        days = {o.day for o in opened}
        tz = zone(schedule.timezone)
        hours = self.operating_terms.on_days(schedule.site_id, HOURS, days)
        require_slots(
            hours, [(o.day, o.start.astimezone(tz)) for o in opened], schedule.slot_minutes
        )
        staffing = self.operating_terms.on_days(schedule.site_id, STAFFING_MODEL, days)
        for day in sorted(days):
            require_staffing(staffing[day], clinicians=schedule.clinicians, on=day)

    @staticmethod
    def _open(schedule: Schedule, occurrences: list[Occurrence], meta: Meta) -> list[Slot]:
        return [
            Slot.open(
                schedule_id=schedule.id,
                site_id=schedule.site_id,
                service_line=schedule.service_line,
                occurrence=occurrence,
                meta=meta,
            )
            for occurrence in occurrences
        ]
