"""Whether a shift that needs clinical coverage is staffed to the PC's rules.

A shift is checked against what the PC has published (eligibility and supervision),
never against an MSO judgement. A shortfall does not stop the shift from being saved:
it is shown as a coverage gap until the staffing or the PC's facts change. Reasons:

- `no_eligible_clinician`: no eligible clinician is assigned at all;
- `clinician_not_eligible`: an assigned clinician is not eligible (or unknown to the MSO);
- `app_without_supervisor`: an eligible APP has no eligible physician on the shift who
  supervises them (by a PC assignment in force on the shift's day);
- `supervisor_over_capacity`: the APP's supervisors are on the shift, but each already
  covers the most APPs the rules allow one physician;
- for a shift that names a PC visit template: `template_not_in_force` (no version of it
  is in force at the shift's site on its day), `shift_over_template_hours` (the shift is
  longer than the version's clinician hours a day), `role_not_in_template` (an eligible
  clinician on it has a role the version does not list).

APPs are matched to their supervisors on the shift so that as many as possible are
covered (a capacity-bounded bipartite matching); only those left over are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from services.mso_ops.domain.clinical_standing import APP_ROLES, SUPERVISING_ROLES
from services.mso_ops.domain.visit_template import TemplateHistory

NO_ELIGIBLE_CLINICIAN = "no_eligible_clinician"
CLINICIAN_NOT_ELIGIBLE = "clinician_not_eligible"
APP_WITHOUT_SUPERVISOR = "app_without_supervisor"
SUPERVISOR_OVER_CAPACITY = "supervisor_over_capacity"
TEMPLATE_NOT_IN_FORCE = "template_not_in_force"
SHIFT_OVER_TEMPLATE_HOURS = "shift_over_template_hours"
ROLE_NOT_IN_TEMPLATE = "role_not_in_template"
REASONS = (
    NO_ELIGIBLE_CLINICIAN,
    CLINICIAN_NOT_ELIGIBLE,
    APP_WITHOUT_SUPERVISOR,
    SUPERVISOR_OVER_CAPACITY,
    TEMPLATE_NOT_IN_FORCE,
    SHIFT_OVER_TEMPLATE_HOURS,
    ROLE_NOT_IN_TEMPLATE,
)


@dataclass(frozen=True)
class Standing:
    """A clinician's role and eligibility as last published by the PC.

    Eligibility is judged by the day too: a clinician whose credentials lapse on D is
    not relied on for a day on or after D, even before the PC's lapse arrives.
    """

    role: str
    eligible: bool
    lapses_on: date | None = None

    def eligible_on(self, day: date) -> bool:
        return self.eligible and (self.lapses_on is None or day < self.lapses_on)


@dataclass(frozen=True)
class Pairing:
    app_id: UUID
    physician_id: UUID
    effective_from: date
    effective_to: date | None

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class Rules:
    max_apps_per_physician: int
    pairings: tuple[Pairing, ...]

    @classmethod
    def published(
        cls, max_apps_per_physician: int, assignments: Iterable[Mapping[str, Any]]
    ) -> Rules:
        """The rules from the assignments as the PC publishes them."""
        return cls(
            max_apps_per_physician,
            tuple(
                Pairing(a["app_id"], a["physician_id"], a["effective_from"], a["effective_to"])
                for a in assignments
            ),
        )


@dataclass(frozen=True)
class StaffedTemplate:
    """The visit template a shift names, as the MSO holds it, and the shift's place and length."""

    template_id: UUID
    history: TemplateHistory
    site_id: UUID
    hours: float


@dataclass(frozen=True)
class Shortfall:
    reason: str
    clinician_id: UUID | None
    detail: str


def shortfalls(
    *,
    day: date,
    clinicians: Sequence[UUID],
    standings: Mapping[UUID, Standing],
    rules: Rules | None,
    template: StaffedTemplate | None = None,
) -> list[Shortfall]:
    """Every reason the clinicians on a shift on `day` fail the PC's rules (empty: covered)."""
    found: list[Shortfall] = []
    on_shift = list(dict.fromkeys(clinicians))
    eligible = [c for c in on_shift if c in standings and standings[c].eligible_on(day)]
    if not eligible:
        detail = (
            "no clinician is assigned"
            if not on_shift
            else f"none of the {len(on_shift)} assigned clinician(s) is eligible"
        )
        found.append(Shortfall(NO_ELIGIBLE_CLINICIAN, None, detail))
    for clinician_id in on_shift:
        if clinician_id not in standings:
            found.append(
                Shortfall(CLINICIAN_NOT_ELIGIBLE, clinician_id, "the PC has not published them")
            )
        elif not standings[clinician_id].eligible:
            found.append(
                Shortfall(CLINICIAN_NOT_ELIGIBLE, clinician_id, "the PC lists them not eligible")
            )
        elif not standings[clinician_id].eligible_on(day):
            found.append(
                Shortfall(
                    CLINICIAN_NOT_ELIGIBLE,
                    clinician_id,
                    f"their credentials lapse on {standings[clinician_id].lapses_on}",
                )
            )
    apps = [c for c in eligible if standings[c].role in APP_ROLES]
    physicians = [c for c in eligible if standings[c].role in SUPERVISING_ROLES]
    found.extend(_unsupervised(day, apps, physicians, rules))
    if template is not None:
        found.extend(_outside_template(day, eligible, standings, template))
    return found


def _outside_template(
    day: date, eligible: list[UUID], standings: Mapping[UUID, Standing], staffed: StaffedTemplate
) -> list[Shortfall]:
    version = staffed.history.in_force(day)
    if version is None or not version.covers_site(staffed.site_id):
        return [
            Shortfall(
                TEMPLATE_NOT_IN_FORCE,
                None,
                f"no version of visit template {staffed.template_id} is in force at the "
                f"site on {day}",
            )
        ]
    found = []
    if staffed.hours > version.max_clinician_hours_per_day:
        found.append(
            Shortfall(
                SHIFT_OVER_TEMPLATE_HOURS,
                None,
                f"the shift lasts {staffed.hours:g} hours; template {version.name!r} "
                f"v{version.version} allows {version.max_clinician_hours_per_day} a day",
            )
        )
    for clinician_id in eligible:
        role = standings[clinician_id].role
        if role not in version.clinician_roles:
            found.append(
                Shortfall(
                    ROLE_NOT_IN_TEMPLATE,
                    clinician_id,
                    f"template {version.name!r} v{version.version} is staffed by "
                    f"{', '.join(version.clinician_roles)}, not {role}",
                )
            )
    return found


def _unsupervised(
    day: date, apps: list[UUID], physicians: list[UUID], rules: Rules | None
) -> Iterable[Shortfall]:
    if not apps:
        return []
    if rules is None:
        return [
            Shortfall(APP_WITHOUT_SUPERVISOR, a, "the PC has published no supervision rules")
            for a in apps
        ]
    present = set(physicians)
    supervisors = {
        a: sorted(
            {p.physician_id for p in rules.pairings if p.app_id == a and p.covers(day)} & present,
            key=str,
        )
        for a in apps
    }
    matched = _match(apps, supervisors, rules.max_apps_per_physician)
    found = []
    for app in apps:
        if app in matched:
            continue
        if not supervisors[app]:
            found.append(
                Shortfall(
                    APP_WITHOUT_SUPERVISOR,
                    app,
                    "no eligible physician on the shift supervises them on this day",
                )
            )
        else:
            found.append(
                Shortfall(
                    SUPERVISOR_OVER_CAPACITY,
                    app,
                    f"their supervisors on the shift already cover "
                    f"{rules.max_apps_per_physician} APP(s) each",
                )
            )
    return found


def _match(
    apps: list[UUID], supervisors: Mapping[UUID, list[UUID]], capacity: int
) -> dict[UUID, UUID]:
    """APP -> physician, covering as many APPs as capacity allows (augmenting paths)."""
    assigned: dict[UUID, UUID] = {}
    load: dict[UUID, list[UUID]] = {}

    def place(app: UUID, seen: set[UUID]) -> bool:
        for physician in supervisors[app]:
            if physician in seen:
                continue
            seen.add(physician)
            covered = load.setdefault(physician, [])
            if len(covered) < capacity:
                covered.append(app)
                assigned[app] = physician
                return True
            for other in list(covered):
                if place(other, seen):
                    covered.remove(other)
                    covered.append(app)
                    assigned[app] = physician
                    return True
        return False

    for app in apps:
        place(app, set())
    return assigned
