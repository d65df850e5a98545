"""What one visit-template version says: scope, who may staff it, and the volume limits.

The limits are the PC's (decision rights: patient volume per clinician, clinician
hours). Besides the ranges the contract publishes, the volume must fit the visit: a
clinician cannot see more patients in an hour than visits of that length fit in it,
so `max_patients_per_clinician_hour * visit_minutes` is at most 60. The contract
allows visits of up to 8 hours, and a template need not let a clinician finish one
patient per hour, so a limit of 1 patient an hour stands for any visit length (it is
a ceiling, not a quota): the product rule binds from 2 patients an hour up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.v1.service_lines import SERVICE_LINES
from services.pc_governance.domain.protocol_version import MAX_SITES
from services.pc_governance.domain.versioned_document import RevisedVersion
from services.pc_governance.domain.visit_template_errors import InvalidVisitTerms

CLINICIAN_ROLES = ("physician", "medical_director", "np", "pa")
VISIT_MINUTES = (5, 480)
PATIENTS_PER_HOUR = (1, 60)
HOURS_PER_DAY = (1, 24)
MAX_NAME = 200


@dataclass(frozen=True)
class VisitTerms:
    name: str
    service_line: str
    site_ids: list[UUID] | None  # None: all sites
    clinician_roles: list[str]
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int

    @classmethod
    def checked(cls, **values: Any) -> VisitTerms:
        """The terms, de-duplicated, or InvalidVisitTerms naming the first field at fault."""
        sites = values["site_ids"]
        terms = cls(
            **{
                **values,
                "name": values["name"].strip(),
                "site_ids": None if sites is None else list(dict.fromkeys(sites)),
                "clinician_roles": list(dict.fromkeys(values["clinician_roles"])),
            }
        )
        terms._check()
        return terms

    def _check(self) -> None:
        _require(0 < len(self.name) <= MAX_NAME, "name", f"1 to {MAX_NAME} characters")
        _require(
            self.service_line in SERVICE_LINES,
            "service_line",
            f"one of {', '.join(SERVICE_LINES)}",
        )
        _require(
            self.site_ids is None or 0 < len(self.site_ids) <= MAX_SITES,
            "site_ids",
            f"1 to {MAX_SITES} sites, or null for all sites",
        )
        _require(
            bool(self.clinician_roles) and set(self.clinician_roles) <= set(CLINICIAN_ROLES),
            "clinician_roles",
            f"a non-empty subset of {', '.join(CLINICIAN_ROLES)}",
        )
        for name, (low, high) in (
            ("visit_minutes", VISIT_MINUTES),
            ("max_patients_per_clinician_hour", PATIENTS_PER_HOUR),
            ("max_clinician_hours_per_day", HOURS_PER_DAY),
        ):
            _require(low <= getattr(self, name) <= high, name, f"from {low} to {high}")
        booked = self.max_patients_per_clinician_hour * self.visit_minutes
        _require(
            booked <= 60 or self.max_patients_per_clinician_hour == 1,
            "max_patients_per_clinician_hour",
            f"at most {60 // self.visit_minutes} for {self.visit_minutes}-minute visits "
            f"({self.max_patients_per_clinician_hour} would book {booked} minutes an hour)",
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _require(holds: bool, field: str, must_be: str) -> None:
    if not holds:
        raise InvalidVisitTerms(f"{field} must be {must_be}", field=field)


@dataclass
class TemplateVersion(RevisedVersion):
    number: int
    terms: VisitTerms
    drafted_by: str
    drafted_at: datetime


@dataclass(frozen=True)
class Retirement:
    ended_on: date
    reason: str
    decision_id: UUID
    basis: dict[str, str]
    retired_by: str
    retired_at: datetime
