"""How a schedule is held to the visit-template version in force on a day, and the
terms a new schedule keeps.

A mixin of `Schedule`, on its calendar (schedule_calendar.py): it reads the schedule's
line, site, template, slot length, capacity, clinicians and each day's sessions, and
refuses what the version in force does not allow.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.mso_ops.domain.availability import (
    ExtraSession,
    WeeklyRule,
    check_capacity,
    check_weekly,
    zone,
)
from services.mso_ops.domain.schedule_calendar import ScheduleCalendar
from services.mso_ops.domain.scheduling_errors import InvalidSchedule
from services.mso_ops.domain.template_errors import ScheduleOutsideTemplate, VisitTemplateNotInForce
from services.mso_ops.domain.template_limits import (
    MAX_CLINICIANS,
    Session,
    Staffing,
    breaches,
    require_fit,
    weekly_days,
)
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion


def check_new_schedule(
    template: TemplateVersion,
    *,
    timezone: str,
    slot_minutes: int,
    capacity: int,
    clinicians: int,
    starts_on: date,
    ends_on: date | None,
    weekly: list[WeeklyRule],
) -> tuple[WeeklyRule, ...]:
    """A new schedule's terms, its weekly rules checked; they fit `template`, the version
    in force for its line and site on its first day."""
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
        template, Staffing(slot_minutes, capacity, clinicians), weekly_days(rules), "weekly"
    )
    return rules


class TemplateFit(ScheduleCalendar):
    service_line: str
    site_id: UUID
    template_id: UUID | None
    clinicians: int

    def _version_on(self, day: date, templates: TemplateHistory) -> TemplateVersion:
        version = templates.in_force_for(self.service_line, self.site_id, day)
        if version is None or version.template_id != self.template_id:
            raise VisitTemplateNotInForce(
                f"no version of the schedule's visit template is in force for "
                f"{self.service_line} at this site on {day}"
                if self.template_id is not None
                else "the schedule was made before PC-approved templates: it has none",
                day=str(day),
                template_id=str(self.template_id) if self.template_id else None,
            )
        return version

    @property
    def staffing(self) -> Staffing:
        return Staffing(self.slot_minutes, self.capacity, self.clinicians)

    def _fitting_weekly(
        self, weekly: list[WeeklyRule], templates: TemplateHistory
    ) -> tuple[WeeklyRule, ...]:
        """New weekly rules, checked; they fit the version in force on the next day to
        publish."""
        rules = check_weekly(weekly, self.slot_minutes)
        version = self._version_on(self.next_day(), templates)
        require_fit(version, self.staffing, weekly_days(rules), "weekly")
        return rules

    def _require_fit_with(self, session: ExtraSession, templates: TemplateHistory) -> None:
        """The day of an extra session, with it, fits the version in force on that day."""
        day = [*self._sessions(session.day), Session("", session)]
        version = self._version_on(session.day, templates)
        require_fit(version, self.staffing, {str(session.day): day}, "end")

    def _applied_on(self, day: date, templates: TemplateHistory) -> TemplateVersion:
        """The version in force on a day the publication opens slots on, or 409."""
        version = self._version_on(day, templates)
        found = breaches(version, self.staffing, {str(day): self._sessions(day)}, "weekly")
        if found:
            raise ScheduleOutsideTemplate(
                f"on {day} version {version.version} of the template is in force and the "
                f"schedule breaks it: {found[0].detail}; publish through the day before",
                day=str(day),
                version=version.version,
            )
        return version
