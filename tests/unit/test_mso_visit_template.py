"""Visit templates: which version is in force on a day, the volume a slot may take, and
a schedule and a clinical shift held to the version in force."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.availability import ExtraSession, WeeklyRule
from services.mso_ops.domain.coverage import (
    ROLE_NOT_IN_TEMPLATE,
    SHIFT_OVER_TEMPLATE_HOURS,
    TEMPLATE_NOT_IN_FORCE,
    StaffedTemplate,
    Standing,
    shortfalls,
)
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.template_errors import (
    ScheduleOutsideTemplate,
    TemplateLimitExceeded,
    VisitTemplateNotInForce,
)
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion

TEMPLATE_ID = uuid.uuid4()
SITE = uuid.uuid4()
JAN, FEB, MAR = date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)


def version(number: int = 1, effective_from: date = JAN, **changes: Any) -> TemplateVersion:
    facts: dict[str, Any] = {
        "template_id": TEMPLATE_ID,
        "version": number,
        "name": "Sports clearance",
        "service_line": "sports_clearance",
        "site_ids": None,
        "clinician_roles": ("np", "pa"),
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 6,
        "max_clinician_hours_per_day": 8,
        "effective_from": effective_from,
        "decision_id": uuid.uuid4(),
    }
    facts.update(changes)
    return TemplateVersion(**facts)


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


# -- which version is in force -----------------------------------------------------


def test_a_version_is_in_force_until_the_next_takes_effect_or_the_template_ends() -> None:
    history = TemplateHistory((version(1, JAN), version(2, FEB)), ended_on=MAR)
    assert history.in_force(JAN - timedelta(days=1)) is None
    assert history.in_force(JAN).version == 1  # type: ignore[union-attr]
    assert history.in_force(FEB - timedelta(days=1)).version == 1  # type: ignore[union-attr]
    assert history.in_force(FEB).version == 2  # type: ignore[union-attr]
    assert history.in_force(MAR - timedelta(days=1)).version == 2  # type: ignore[union-attr]
    assert history.in_force(MAR) is None


def test_a_later_version_effective_earlier_supersedes_the_earlier_one_outright() -> None:
    history = TemplateHistory((version(1, FEB), version(2, JAN)))
    assert history.in_force(JAN).version == 2  # type: ignore[union-attr]
    assert history.in_force(MAR).version == 2  # type: ignore[union-attr]


def test_a_version_is_in_force_only_for_its_service_line_and_sites() -> None:
    other = uuid.uuid4()
    history = TemplateHistory((version(site_ids=(SITE,)),))
    assert history.in_force_for("sports_clearance", SITE, FEB) is not None
    assert history.in_force_for("sports_clearance", other, FEB) is None
    assert history.in_force_for("school_physical", SITE, FEB) is None


days = st.dates(date(2026, 6, 1), date(2027, 12, 31))


@given(
    st.lists(days, min_size=0, max_size=6),
    st.one_of(st.none(), days),
    days,
)
def test_the_version_in_force_is_the_highest_that_has_taken_effect(
    starts: list[date], ended_on: date | None, day: date
) -> None:
    versions = tuple(version(n + 1, start) for n, start in enumerate(starts))
    found = TemplateHistory(versions, ended_on).in_force(day)
    started = [v.version for v in versions if v.effective_from <= day]
    if (ended_on is not None and day >= ended_on) or not started:
        assert found is None
    else:
        assert found is not None
        assert found.version == max(started)


# -- the volume a slot may take ----------------------------------------------------


def test_capacity_is_whole_visits_per_clinician_pro_rata_of_the_slot() -> None:
    template = version(max_patients_per_clinician_hour=6)
    assert template.slot_capacity(20, 1) == 2
    assert template.slot_capacity(20, 3) == 6
    assert template.slot_capacity(15, 1) == 1  # 1.5 visits: one
    assert version(max_patients_per_clinician_hour=1).slot_capacity(20, 4) == 0


@given(
    st.integers(1, 60),
    st.integers(5, 480),
    st.integers(5, 480),
    st.integers(1, 20),
    st.integers(1, 20),
)
def test_capacity_grows_with_clinicians_and_slot_length_and_never_beats_the_hourly_volume(
    per_hour: int, slot: int, other_slot: int, clinicians: int, more: int
) -> None:
    template = version(max_patients_per_clinician_hour=per_hour)
    allowed = template.slot_capacity(slot, clinicians)
    short, long = sorted((slot, other_slot))
    assert template.slot_capacity(short, clinicians) <= template.slot_capacity(long, clinicians)
    low, high = sorted((clinicians, more))
    assert template.slot_capacity(slot, low) <= template.slot_capacity(slot, high)
    assert allowed * 60 <= clinicians * per_hour * slot  # never above the hourly volume
    assert (allowed + clinicians) * 60 > clinicians * per_hour * slot  # and rounds down only


# -- a schedule within the template -------------------------------------------------


def rule(weekday: str, start: str, end: str, capacity: int | None = None) -> WeeklyRule:
    return WeeklyRule(weekday=weekday, start=start, end=end, capacity=capacity)


def schedule(template: TemplateVersion | None = None, **changes: Any) -> Schedule:
    args: dict[str, Any] = {
        "schedule_id": uuid.uuid4(),
        "site_id": SITE,
        "service_line": "sports_clearance",
        "name": "Spring clearances",
        "template": template or version(),
        "clinicians": 1,
        "timezone": "America/Los_Angeles",
        "slot_minutes": 20,
        "capacity": 2,
        "starts_on": date(2027, 1, 4),
        "ends_on": None,
        "weekly": [rule("tue", "09:00", "12:00")],
        "meta": meta(),
    }
    args.update(changes)
    return Schedule.create(**args)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slot_minutes": 15, "capacity": 1}, "slot_minutes"),
        ({"capacity": 3}, "capacity"),
        (
            {"weekly": [rule("tue", "09:00", "10:00"), rule("wed", "09:00", "10:00", 3)]},
            "weekly[1].capacity",
        ),
        ({"weekly": [rule("tue", "08:00", "12:00"), rule("tue", "13:00", "17:20")]}, "weekly"),
        ({"clinicians": 0}, "clinicians"),
    ],
)
def test_a_schedule_asking_more_than_the_template_allows_names_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        schedule(**changes)
    assert refused.value.extensions["field"] == field


def test_two_clinicians_double_what_a_slot_may_take() -> None:
    with pytest.raises(TemplateLimitExceeded):
        schedule(capacity=4)
    assert schedule(capacity=4, clinicians=2).applied_template["version"] == 1  # type: ignore[index]


def test_publication_stops_at_a_retirement_and_at_a_version_the_schedule_breaks() -> None:
    s = schedule()
    retired = TemplateHistory((version(),), ended_on=date(2027, 1, 12))
    with pytest.raises(VisitTemplateNotInForce) as refused:
        s.publish(through=date(2027, 1, 17), templates=retired, meta=meta())
    assert refused.value.extensions["day"] == "2027-01-12"
    assert s.published_through is None  # nothing published
    assert len(s.publish(through=date(2027, 1, 11), templates=retired, meta=meta())) == 9
    tighter = TemplateHistory((version(), version(2, date(2027, 1, 15), visit_minutes=30)))
    with pytest.raises(ScheduleOutsideTemplate):
        s.publish(through=date(2027, 1, 24), templates=tighter, meta=meta())
    looser = TemplateHistory((version(), version(2, date(2027, 1, 15), visit_minutes=10)))
    s.publish(through=date(2027, 1, 24), templates=looser, meta=meta())
    assert s.applied_template["version"] == 2  # type: ignore[index]


def test_an_extra_session_must_keep_the_day_within_the_template_hours() -> None:
    s = schedule()
    history = TemplateHistory((version(),))
    long_day = ExtraSession(
        session_id=uuid.uuid4(),
        day=date(2027, 1, 5),
        start="13:00",
        end="18:20",
        capacity=None,
        reason="event",
    )
    with pytest.raises(TemplateLimitExceeded) as refused:
        s.add_extra_session(
            session=long_day, today=date(2027, 1, 4), templates=history, meta=meta()
        )
    assert refused.value.extensions["field"] == "end"


# -- a clinical shift staffing a template ------------------------------------------


def test_a_shift_outside_its_template_shows_each_reason() -> None:
    np_id, physician = uuid.uuid4(), uuid.uuid4()
    standings = {np_id: Standing("np", True), physician: Standing("physician", True)}

    def reasons(history: TemplateHistory, hours: float, day: date = FEB) -> set[str]:
        staffed = StaffedTemplate(TEMPLATE_ID, history, SITE, hours)
        found = shortfalls(
            day=day, clinicians=[physician], standings=standings, rules=None, template=staffed
        )
        return {s.reason for s in found}

    history = TemplateHistory((version(),), ended_on=MAR)
    assert reasons(history, 8) == {ROLE_NOT_IN_TEMPLATE}
    assert reasons(history, 9) == {ROLE_NOT_IN_TEMPLATE, SHIFT_OVER_TEMPLATE_HOURS}
    assert reasons(history, 8, MAR) == {TEMPLATE_NOT_IN_FORCE}
    elsewhere = TemplateHistory((version(site_ids=(uuid.uuid4(),)),))
    assert reasons(elsewhere, 8) == {TEMPLATE_NOT_IN_FORCE}
    in_template = shortfalls(
        day=FEB,
        clinicians=[np_id],
        standings=standings,
        rules=None,
        template=StaffedTemplate(TEMPLATE_ID, history, SITE, 8),
    )
    assert {s.reason for s in in_template} == {"app_without_supervisor"}  # nothing of the template
