"""Schedules: weekly rules in local time, publication, closures and extra sessions."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mhg.meta import Meta
from services.mso_ops.domain.availability import (
    MAX_RULES,
    WEEKDAYS,
    ExtraSession,
    Hours,
    WeeklyRule,
    clock,
    slot_starts,
    zone,
)
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.scheduling_errors import (
    InvalidPublication,
    InvalidSchedule,
    NothingToPublish,
    SessionOverlaps,
)
from services.mso_ops.domain.visit_template import TemplateHistory, TemplateVersion

LA = ZoneInfo("America/Los_Angeles")
MONDAY = date(2027, 1, 4)
# A template roomy enough that only the schedule's own rules are tested here
# (test_mso_visit_template.py holds schedules to a template's limits).
ROOMY = TemplateVersion(
    template_id=uuid.uuid4(),
    version=1,
    name="roomy",
    service_line="sports_clearance",
    site_ids=None,
    clinician_roles=("np",),
    visit_minutes=5,
    max_patients_per_clinician_hour=60,
    max_clinician_hours_per_day=24,
    effective_from=date(2026, 1, 1),
    decision_id=uuid.uuid4(),
)
TEMPLATES = TemplateHistory((ROOMY,))


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def rule(weekday: str, start: str, end: str, capacity: int | None = None) -> WeeklyRule:
    return WeeklyRule(weekday=weekday, start=start, end=end, capacity=capacity)


def schedule(**changes: Any) -> Schedule:
    args: dict[str, Any] = {
        "schedule_id": uuid.uuid4(),
        "site_id": uuid.uuid4(),
        "service_line": "sports_clearance",
        "name": "Fall clearances",
        "template": TEMPLATES.versions[0],
        "clinicians": 2,
        "timezone": "America/Los_Angeles",
        "slot_minutes": 20,
        "capacity": 2,
        "starts_on": MONDAY,
        "ends_on": None,
        "weekly": [rule("tue", "09:00", "10:00"), rule("thu", "14:00", "15:00", 5)],
        "meta": meta(),
    }
    args.update(changes)
    return Schedule.create(**args)


def session(day: date, start: str, end: str, capacity: int | None = None) -> ExtraSession:
    return ExtraSession(
        session_id=uuid.uuid4(), day=day, start=start, end=end, capacity=capacity, reason="event"
    )


def local(starts: list[datetime]) -> list[str]:
    return [s.astimezone(LA).strftime("%a %H:%M") for s in starts]


@pytest.mark.parametrize("value", ["9:00", "09:00:00", "24:00", "noon", "", "09:60"])
def test_a_clock_time_is_hh_mm(value: str) -> None:
    with pytest.raises(InvalidSchedule):
        clock(value)
    assert clock("09:05") == time(9, 5)


@pytest.mark.parametrize("name", ["Mars/Olympus", "../etc/passwd", "", "not a zone"])
def test_a_time_zone_is_an_iana_name(name: str) -> None:
    with pytest.raises(InvalidSchedule) as caught:
        zone(name)
    assert caught.value.code == "invalid-schedule"


@pytest.mark.parametrize(
    ("weekly", "slot_minutes"),
    [
        ([rule("tuesday", "09:00", "10:00")], 20),
        ([rule("tue", "10:00", "09:00")], 20),
        ([rule("tue", "09:00", "09:15")], 20),
        ([rule("tue", "09:00", "10:00", 0)], 20),
        ([rule("tue", "09:00", "10:00", 501)], 20),
        ([rule("tue", "09:00", "11:00"), rule("tue", "10:40", "12:00")], 20),
        ([rule("tue", "09:00", "10:00")] * (MAX_RULES + 1), 20),
        ([rule("tue", "09:00", "10:00")], 4),
    ],
)
def test_invalid_weekly_rules_are_refused(weekly: list[WeeklyRule], slot_minutes: int) -> None:
    with pytest.raises(InvalidSchedule):
        schedule(weekly=weekly, slot_minutes=slot_minutes)


def test_back_to_back_sessions_and_other_days_do_not_overlap() -> None:
    weekly = [
        rule("tue", "09:00", "10:00"),
        rule("tue", "10:00", "11:00"),
        rule("wed", "09:00", "10:00"),
    ]
    assert len(schedule(weekly=weekly).weekly) == 3


def test_slots_fill_a_session_and_none_runs_past_its_end() -> None:
    starts = list(slot_starts(MONDAY, Hours(start="09:00", end="10:10"), 20, LA))
    assert [s.astimezone(LA).time() for s in starts] == [time(9), time(9, 20), time(9, 40)]
    assert starts[0] == datetime(2027, 1, 4, 17, 0, tzinfo=UTC)


def test_the_hour_skipped_in_spring_makes_no_slot() -> None:
    day = date(2027, 3, 14)  # clocks go from 02:00 to 03:00 in Los Angeles
    starts = list(slot_starts(day, Hours(start="01:00", end="04:00"), 30, LA))
    assert [s.astimezone(LA).strftime("%H:%M") for s in starts] == [
        "01:00",
        "01:30",
        "03:00",
        "03:30",
    ]
    assert len(set(starts)) == len(starts)


def test_publishing_makes_each_day_once_up_to_the_horizon() -> None:
    s = schedule()
    first = s.publish(through=MONDAY + timedelta(days=6), templates=TEMPLATES, meta=meta())
    assert local([o.start for o in first]) == [
        "Tue 09:00",
        "Tue 09:20",
        "Tue 09:40",
        "Thu 14:00",
        "Thu 14:20",
        "Thu 14:40",
    ]
    assert [o.capacity for o in first] == [2, 2, 2, 5, 5, 5]
    assert {o.day for o in first} == {date(2027, 1, 5), date(2027, 1, 7)}
    assert s.published_through == date(2027, 1, 10)
    with pytest.raises(NothingToPublish):
        s.publish(through=date(2027, 1, 9), templates=TEMPLATES, meta=meta())
    second = s.publish(through=date(2027, 1, 12), templates=TEMPLATES, meta=meta())
    assert [o.day for o in second] == [date(2027, 1, 12)] * 3


def test_publication_is_bounded_and_stops_at_the_schedule_end() -> None:
    with pytest.raises(InvalidPublication):
        schedule().publish(through=MONDAY + timedelta(days=92), templates=TEMPLATES, meta=meta())
    ending = schedule(ends_on=date(2027, 1, 5))
    assert len(ending.publish(through=date(2027, 3, 1), templates=TEMPLATES, meta=meta())) == 3
    assert ending.published_through == date(2027, 1, 5)
    with pytest.raises(NothingToPublish):
        ending.publish(through=date(2027, 3, 1), templates=TEMPLATES, meta=meta())
    busy = schedule(slot_minutes=5, weekly=[rule(d, "00:00", "23:55") for d in WEEKDAYS])
    with pytest.raises(InvalidPublication):
        busy.publish(through=MONDAY + timedelta(days=13), templates=TEMPLATES, meta=meta())


def test_a_closure_closes_published_slots_and_skips_later_ones() -> None:
    s = schedule()
    s.publish(through=date(2027, 1, 10), templates=TEMPLATES, meta=meta())
    closed = s.add_closure(
        closure_id=uuid.uuid4(),
        starts_at=datetime(2027, 1, 5, 9, 20, tzinfo=LA),
        ends_at=datetime(2027, 1, 12, 9, 30, tzinfo=LA),
        reason="renovation",
        meta=meta(),
    )
    assert local(closed) == ["Tue 09:20", "Tue 09:40", "Thu 14:00", "Thu 14:20", "Thu 14:40"]
    later = s.publish(through=date(2027, 1, 12), templates=TEMPLATES, meta=meta())
    assert local([o.start for o in later]) == ["Tue 09:40"], "09:00 and 09:20 overlap the closure"


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (datetime(2027, 1, 5, 9), datetime(2027, 1, 5, 10, tzinfo=UTC)),
        (datetime(2027, 1, 5, 10, tzinfo=UTC), datetime(2027, 1, 5, 10, tzinfo=UTC)),
        (datetime(2027, 1, 5, tzinfo=UTC), datetime(2028, 1, 10, tzinfo=UTC)),
    ],
)
def test_invalid_closures_are_refused(starts_at: datetime, ends_at: datetime) -> None:
    s = schedule()
    with pytest.raises(InvalidSchedule):
        s.add_closure(
            closure_id=uuid.uuid4(), starts_at=starts_at, ends_at=ends_at, reason="x", meta=meta()
        )
    assert s.closures == []


def test_an_extra_session_opens_now_on_a_published_day_and_later_otherwise() -> None:
    s = schedule()
    s.publish(through=date(2027, 1, 10), templates=TEMPLATES, meta=meta())
    saturday = session(date(2027, 1, 9), "08:00", "09:00", capacity=30)
    opened = s.add_extra_session(session=saturday, today=MONDAY, templates=TEMPLATES, meta=meta())
    assert local([o.start for o in opened]) == ["Sat 08:00", "Sat 08:20", "Sat 08:40"]
    assert {o.capacity for o in opened} == {30}
    future = session(date(2027, 1, 16), "08:00", "08:40")
    assert s.add_extra_session(session=future, today=MONDAY, templates=TEMPLATES, meta=meta()) == []
    later = s.publish(through=date(2027, 1, 17), templates=TEMPLATES, meta=meta())
    assert local([o.start for o in later if o.day == date(2027, 1, 16)]) == [
        "Sat 08:00",
        "Sat 08:20",
    ]
    assert [o.capacity for o in later if o.day == date(2027, 1, 16)] == [2, 2]


def test_an_extra_session_may_not_overlap_the_day_it_joins() -> None:
    s = schedule()
    s.publish(through=date(2027, 1, 10), templates=TEMPLATES, meta=meta())
    with pytest.raises(SessionOverlaps):  # a published Tuesday slot
        s.add_extra_session(
            session=session(date(2027, 1, 5), "09:50", "10:30"),
            today=MONDAY,
            templates=TEMPLATES,
            meta=meta(),
        )
    with pytest.raises(SessionOverlaps):  # an unpublished Tuesday's weekly rule
        s.add_extra_session(
            session=session(date(2027, 1, 12), "08:30", "09:10"),
            today=MONDAY,
            templates=TEMPLATES,
            meta=meta(),
        )
    s.add_extra_session(
        session=session(date(2027, 1, 5), "10:00", "10:40"),
        today=MONDAY,
        templates=TEMPLATES,
        meta=meta(),
    )
    with pytest.raises(SessionOverlaps):  # another extra session
        s.add_extra_session(
            session=session(date(2027, 1, 5), "10:20", "11:00"),
            today=MONDAY,
            templates=TEMPLATES,
            meta=meta(),
        )
    with pytest.raises(InvalidSchedule):
        s.add_extra_session(
            session=session(date(2027, 1, 3), "10:00", "11:00"),
            today=MONDAY,
            templates=TEMPLATES,
            meta=meta(),
        )
    ending = schedule(ends_on=date(2027, 1, 8))
    with pytest.raises(InvalidSchedule):
        ending.add_extra_session(
            session=session(date(2027, 1, 9), "10:00", "11:00"),
            today=MONDAY,
            templates=TEMPLATES,
            meta=meta(),
        )


def test_new_weekly_rules_shape_only_what_is_published_after() -> None:
    s = schedule()
    s.publish(through=date(2027, 1, 10), templates=TEMPLATES, meta=meta())
    s.replace_weekly([rule("wed", "10:00", "10:40")], TEMPLATES, meta())
    later = s.publish(through=date(2027, 1, 17), templates=TEMPLATES, meta=meta())
    assert local([o.start for o in later]) == ["Wed 10:00", "Wed 10:20"]
    with pytest.raises(InvalidSchedule):
        s.replace_weekly([rule("wed", "10:00", "09:00")], TEMPLATES, meta())


def test_replaying_the_events_reproduces_the_schedule() -> None:
    s = schedule()
    s.publish(through=date(2027, 1, 10), templates=TEMPLATES, meta=meta())
    s.add_closure(
        closure_id=uuid.uuid4(),
        starts_at=datetime(2027, 1, 7, 0, tzinfo=LA),
        ends_at=datetime(2027, 1, 8, 0, tzinfo=LA),
        reason="x",
        meta=meta(),
    )
    s.add_extra_session(
        session=session(date(2027, 1, 9), "08:00", "09:00"),
        today=MONDAY,
        templates=TEMPLATES,
        meta=meta(),
    )
    s.replace_weekly([rule("fri", "08:00", "09:00")], TEMPLATES, meta())
    rebuilt: Any = None
    for e in s.collect_events():
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, Schedule)
    assert vars(rebuilt) == vars(s)
