"""A site's approved operating term: the days and hours it opens, and its staffing model.

The PC decides both (a material operational change, docs/decision-rights.md); the MSO
schedules and staffs inside them. A material change of aspect `hours` or
`staffing_model` may carry its term as structure beside the text: the hours are
openings (a weekday and a window `opens`-`closes`, HH:MM in the site's local time,
several a day if they do not overlap); the staffing model is the most clinicians a
session is staffed by and the PC clinician roles that may staff it. Once the PC approves
the change (operating_terms.py keeps what is in force on each day), a session, a slot or
a staffing outside it is refused (409 `operating-term-exceeded`) naming the term and
what exceeds it. Everything here is a pure function of its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, NamedTuple

from services.mso_ops.domain.availability import WEEKDAYS, Hours, clock
from services.mso_ops.domain.scheduling_errors import InvalidSchedule
from services.mso_ops.domain.site_errors import InvalidSiteChange, OperatingTermExceeded
from services.mso_ops.domain.template_limits import MAX_CLINICIANS

HOURS = "hours"
STAFFING_MODEL = "staffing_model"
STRUCTURED = (HOURS, STAFFING_MODEL)  # the aspects a term may be judged on
CLINICIAN_ROLES = ("physician", "medical_director", "np", "pa")
MAX_OPENINGS = 50


@dataclass(frozen=True)
class Opening:
    weekday: str
    opens: str
    closes: str

    def holds(self, start: time, end: time) -> bool:
        return clock(self.opens) <= start and end <= clock(self.closes)

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class TermInForce(NamedTuple):
    """The approved term of one aspect on a day: the change that set it, from when."""

    aspect: str
    change_id: str
    effective_date: date
    term: dict[str, Any]

    @property
    def openings(self) -> tuple[Opening, ...]:
        return tuple(Opening(**o) for o in self.term.get("openings", ()))

    def describe(self) -> str:
        return (
            f"{self.aspect} approved from {self.effective_date} (change {self.change_id}): "
            f"{rendered(self.aspect, self.term)}"
        )

    def refuse(self, exceeds: str, **extensions: object) -> OperatingTermExceeded:
        return OperatingTermExceeded(
            f"{exceeds}; the site's {self.describe()}: propose a material change",
            aspect=self.aspect,
            change_id=self.change_id,
            effective_date=self.effective_date.isoformat(),
            term=self.term,
            **extensions,
        )


# -- a proposed term, checked -------------------------------------------------------


def checked_term(aspect: str, term: dict[str, Any] | None) -> dict[str, Any] | None:
    """The structured term of a proposed change, checked and in a canonical order; None when
    the change has none (its text alone, as before structured terms)."""
    if term is None:
        return None
    if aspect not in STRUCTURED:
        raise InvalidSiteChange(f"a {aspect} change carries no structured term")
    given = {key for key, value in term.items() if value is not None}
    fields = _FIELDS[aspect]
    if given - fields or not given:
        raise InvalidSiteChange(
            f"the term of a {aspect} change names {' and '.join(sorted(fields))}"
        )
    if aspect == HOURS:
        return {"openings": [vars(o) for o in _openings(term["openings"])]}
    return _staffing(term)


_FIELDS = {
    HOURS: frozenset({"openings"}),
    STAFFING_MODEL: frozenset({"max_clinicians_per_session", "clinician_roles"}),
}


def _openings(given: Iterable[dict[str, Any]]) -> list[Opening]:
    openings = [Opening(o["weekday"], o["opens"], o["closes"]) for o in given]
    if not 1 <= len(openings) <= MAX_OPENINGS:
        raise InvalidSiteChange(f"the hours name 1 to {MAX_OPENINGS} openings")
    for opening in openings:
        if opening.weekday not in WEEKDAYS:
            raise InvalidSiteChange(f"weekday must be one of {', '.join(WEEKDAYS)}")
        try:
            opens, closes = clock(opening.opens), clock(opening.closes)
        except InvalidSchedule as error:
            raise InvalidSiteChange(error.detail) from None
        if closes <= opens:
            raise InvalidSiteChange(f"the opening {opening} must close after it opens")
    ordered = sorted(openings, key=lambda o: (WEEKDAYS.index(o.weekday), o.opens))
    for earlier, later in pairwise(ordered):
        if earlier.weekday == later.weekday and later.opens < earlier.closes:
            raise InvalidSiteChange(f"the openings {earlier} and {later} overlap")
    return ordered


def _staffing(term: dict[str, Any]) -> dict[str, Any]:
    most = term.get("max_clinicians_per_session")
    roles = list(term.get("clinician_roles") or [])
    if not isinstance(most, int) or not 1 <= most <= MAX_CLINICIANS:
        raise InvalidSiteChange(f"a session is staffed by 1 to {MAX_CLINICIANS} clinicians")
    if (
        not roles
        or any(role not in CLINICIAN_ROLES for role in roles)
        or len(set(roles)) < len(roles)
    ):
        raise InvalidSiteChange(f"clinician roles are among {', '.join(CLINICIAN_ROLES)}")
    return {
        "max_clinicians_per_session": most,
        "clinician_roles": [r for r in CLINICIAN_ROLES if r in roles],
    }


def rendered(aspect: str, term: dict[str, Any] | None) -> str:
    """The structured term in words, for the PC's copy of the request."""
    if term is None:
        return ""
    if aspect == HOURS:
        return ", ".join(str(Opening(**o)) for o in term["openings"])
    roles, most = ", ".join(term["clinician_roles"]), term["max_clinicians_per_session"]
    return f"at most {most} clinician{'' if most == 1 else 's'} a session ({roles})"


# -- judging against the term in force ----------------------------------------------


def require_hours(term: TermInForce | None, sessions: Sequence[tuple[str, Hours]], on: str) -> None:
    """Every (weekday, hours) session within an opening of its weekday; `on` names the day
    or the first day judged. No term: nothing to judge."""
    if term is None:
        return
    for weekday, hours in sessions:
        start, end = clock(hours.start), clock(hours.end)
        if not any(o.weekday == weekday and o.holds(start, end) for o in term.openings):
            raise term.refuse(
                f"{weekday} {hours.start}-{hours.end} (from {on}) is outside the approved hours",
                day=on,
            )


def require_slots(
    term_on: dict[date, TermInForce | None], starts: Iterable[tuple[date, datetime]], minutes: int
) -> None:
    """Every slot (its local day, its local start) within the hours in force on its day."""
    for day, local in starts:
        term = term_on.get(day)
        if term is None:
            continue
        end = local + timedelta(minutes=minutes)
        if end.date() != local.date() or not any(
            o.weekday == WEEKDAYS[day.weekday()] and o.holds(local.time(), end.time())
            for o in term.openings
        ):
            raise term.refuse(
                f"a slot at {local:%H:%M} on {day} is outside the approved hours; "
                "publish through the day before",
                day=day.isoformat(),
            )


def require_staffing(
    term: TermInForce | None, *, clinicians: int, roles: Iterable[str] = (), on: date
) -> None:
    """At most the model's clinicians on a session, each of a role it names."""
    if term is None:
        return
    most = int(term.term["max_clinicians_per_session"])
    if clinicians > most:
        raise term.refuse(f"{clinicians} clinicians on {on}", day=on.isoformat())
    allowed = term.term["clinician_roles"]
    other = sorted({role for role in roles if role not in allowed})
    if other:
        raise term.refuse(f"a clinician in role {', '.join(other)} on {on}", day=on.isoformat())
