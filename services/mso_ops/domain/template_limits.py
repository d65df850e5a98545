"""Whether a schedule fits the limits of a visit-template version.

A slot is no shorter than the template's visit; a slot takes at most
`clinicians * floor(max_patients_per_clinician_hour * slot_minutes / 60)` bookings (the
schedule's default and every session's own capacity); and the sessions of one day add
up to at most `max_clinician_hours_per_day` (each clinician works every session).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass

from services.mso_ops.domain.availability import WEEKDAYS, Hours, WeeklyRule
from services.mso_ops.domain.template_errors import TemplateLimitExceeded
from services.mso_ops.domain.visit_template import TemplateVersion

MAX_CLINICIANS = 20


@dataclass(frozen=True)
class Session:
    """A session's hours and the request field that set them (for the problem's `field`)."""

    field: str
    hours: Hours


@dataclass(frozen=True)
class Staffing:
    """What a schedule offers a slot: its length, its bookings and the clinicians on it."""

    slot_minutes: int
    capacity: int
    clinicians: int


@dataclass(frozen=True)
class Breach:
    field: str
    detail: str


def weekly_days(rules: Sequence[WeeklyRule]) -> dict[str, list[Session]]:
    """The weekly rules grouped by weekday, each named by its place in `weekly`."""
    days: dict[str, list[Session]] = {}
    for index, rule in enumerate(rules):
        days.setdefault(rule.weekday, []).append(Session(f"weekly[{index}]", rule))
    return {day: days[day] for day in WEEKDAYS if day in days}


def breaches(
    version: TemplateVersion,
    staffing: Staffing,
    days: Mapping[str, Iterable[Session]],
    day_field: str,
) -> list[Breach]:
    """Every way the schedule breaks the version's limits (empty: it fits)."""
    slot_minutes, capacity, clinicians = astuple(staffing)
    found: list[Breach] = []
    label = f"template {version.name!r} v{version.version}"
    if slot_minutes < version.visit_minutes:
        found.append(
            Breach(
                "slot_minutes",
                f"a {slot_minutes}-minute slot is shorter than the {version.visit_minutes}-minute "
                f"visit of {label}",
            )
        )
    allowed = version.slot_capacity(slot_minutes, clinicians)
    rate = (
        f"at most {allowed} per {slot_minutes}-minute slot under {label} ({clinicians} "
        f"clinician(s) x {version.max_patients_per_clinician_hour} patients per hour)"
    )
    if capacity > allowed:
        found.append(Breach("capacity", f"capacity {capacity}: {rate}"))
    most = version.max_clinician_hours_per_day * 60
    for day, sessions in days.items():
        listed = list(sessions)
        for session in listed:
            if session.hours.capacity is not None and session.hours.capacity > allowed:
                found.append(
                    Breach(
                        f"{session.field}.capacity".lstrip("."),
                        f"capacity {session.hours.capacity} on {day}: {rate}",
                    )
                )
        minutes = sum(session.hours.minutes for session in listed)
        if minutes > most:
            found.append(
                Breach(
                    day_field,
                    f"the sessions on {day} last {minutes / 60:g} hours: {label} allows "
                    f"{version.max_clinician_hours_per_day} clinician hours a day",
                )
            )
    return found


def require_fit(
    version: TemplateVersion,
    staffing: Staffing,
    days: Mapping[str, Iterable[Session]],
    day_field: str,
) -> None:
    """Refuse (422, naming the first field) a schedule that breaks the version's limits."""
    found = breaches(version, staffing, days, day_field)
    if found:
        raise TemplateLimitExceeded(
            "; ".join(b.detail for b in found),
            field=found[0].field,
            fields=[b.field for b in found],
        )
