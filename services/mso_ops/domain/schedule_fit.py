"""How a schedule is held to the visit-template version in force on a day.

A mixin of `Schedule`: it reads the schedule's line, site, template, slot length,
capacity, clinicians and sessions, and refuses what the version in force does not allow.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.mso_ops.domain.availability import WEEKDAYS, ExtraSession, WeeklyRule
from services.mso_ops.domain.template_errors import ScheduleOutsideTemplate, VisitTemplateNotInForce
from services.mso_ops.domain.template_limits import Session, breaches, require_fit
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion


class TemplateFit:
    service_line: str
    site_id: UUID
    template_id: UUID | None
    slot_minutes: int
    capacity: int
    clinicians: int
    weekly: tuple[WeeklyRule, ...]
    extra: list[ExtraSession]

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

    def _require_fit(
        self, version: TemplateVersion, days: dict[str, list[Session]], day_field: str
    ) -> None:
        require_fit(
            version,
            slot_minutes=self.slot_minutes,
            capacity=self.capacity,
            clinicians=self.clinicians,
            days=days,
            day_field=day_field,
        )

    def _sessions(self, day: date) -> list[Session]:
        """The sessions a day has: its weekday's rules and its extra sessions."""
        weekday = WEEKDAYS[day.weekday()]
        weekly = [
            Session(f"weekly[{i}]", rule)
            for i, rule in enumerate(self.weekly)
            if rule.weekday == weekday
        ]
        return weekly + [Session("extra_sessions", e) for e in self.extra if e.day == day]

    def _applied_on(self, day: date, templates: TemplateHistory) -> TemplateVersion:
        """The version in force on a day the publication opens slots on, or 409."""
        version = self._version_on(day, templates)
        found = breaches(
            version,
            slot_minutes=self.slot_minutes,
            capacity=self.capacity,
            clinicians=self.clinicians,
            days={str(day): self._sessions(day)},
            day_field="weekly",
        )
        if found:
            raise ScheduleOutsideTemplate(
                f"on {day} version {version.version} of the template is in force and the "
                f"schedule breaks it: {found[0].detail}; publish through the day before",
                day=str(day),
                version=version.version,
            )
        return version
