"""PC-approved visit templates as the MSO holds them, and which version is in force.

Patient volume per clinician and clinician hours are the PC's decision; the MSO only
schedules and staffs within them. Every version the PC approves is kept. A version is
in force from its `effective_from` until a higher version takes effect; a retirement
ends the whole template from its `ended_on`. So on a day the version in force is the
highest-numbered version that has taken effect, unless the template has ended. All of
it is a pure function of the recorded facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

LIMIT_FIELDS = (
    "clinician_roles",
    "visit_minutes",
    "max_patients_per_clinician_hour",
    "max_clinician_hours_per_day",
)


@dataclass(frozen=True)
class TemplateVersion:
    template_id: UUID
    version: int
    name: str
    service_line: str
    site_ids: tuple[UUID, ...] | None
    clinician_roles: tuple[str, ...]
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int
    effective_from: date
    decision_id: UUID

    @classmethod
    def of(cls, facts: Mapping[str, Any]) -> TemplateVersion:
        sites = facts["site_ids"]
        return cls(
            template_id=facts["template_id"],
            version=facts["version"],
            name=facts["name"],
            service_line=facts["service_line"],
            site_ids=None if sites is None else tuple(sites),
            clinician_roles=tuple(facts["clinician_roles"]),
            visit_minutes=facts["visit_minutes"],
            max_patients_per_clinician_hour=facts["max_patients_per_clinician_hour"],
            max_clinician_hours_per_day=facts["max_clinician_hours_per_day"],
            effective_from=facts["effective_from"],
            decision_id=facts["decision_id"],
        )

    def covers_site(self, site_id: UUID) -> bool:
        return self.site_ids is None or site_id in self.site_ids

    def slot_capacity(self, slot_minutes: int, clinicians: int) -> int:
        """The most bookings one slot may take: each clinician sees at most the hourly
        volume pro rata of the slot's length, rounded down to whole visits."""
        return clinicians * (self.max_patients_per_clinician_hour * slot_minutes // 60)

    def applied(self) -> dict[str, Any]:
        """The version and limits a schedule records when it runs under this version."""
        return {
            "template_id": self.template_id,
            "version": self.version,
            "name": self.name,
            "decision_id": self.decision_id,
            "effective_from": self.effective_from,
            "clinician_roles": list(self.clinician_roles),
            "visit_minutes": self.visit_minutes,
            "max_patients_per_clinician_hour": self.max_patients_per_clinician_hour,
            "max_clinician_hours_per_day": self.max_clinician_hours_per_day,
        }


@dataclass(frozen=True)
class TemplateHistory:
    """Every version of one template and the day it ended (None: not retired)."""

    versions: tuple[TemplateVersion, ...]
    ended_on: date | None = None

    @classmethod
    def of(cls, versions: Iterable[Mapping[str, Any]], ended_on: date | None) -> TemplateHistory:
        return cls(tuple(TemplateVersion.of(v) for v in versions), ended_on)

    def in_force(self, day: date) -> TemplateVersion | None:
        if self.ended_on is not None and day >= self.ended_on:
            return None
        started = [v for v in self.versions if v.effective_from <= day]
        return max(started, key=lambda v: v.version, default=None)

    def in_force_for(self, service_line: str, site_id: UUID, day: date) -> TemplateVersion | None:
        """The version in force for a service line at a site on a day, if any."""
        version = self.in_force(day)
        if version is None or version.service_line != service_line:
            return None
        return version if version.covers_site(site_id) else None


NO_TEMPLATE = TemplateHistory(())
