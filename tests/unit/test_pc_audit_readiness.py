"""The audit-readiness KPI as a pure function: each rule on its boundary days, and its invariants."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.pc_governance.domain import audit_readiness as kpi

DAY = date(2026, 12, 1)


def test_a_protocol_is_current_through_its_review_day_and_overdue_after() -> None:
    assert kpi.protocol("p", "Sports", DAY, DAY).current
    late = kpi.protocol("p", "Sports", DAY, DAY + timedelta(days=1))
    assert late.reason == kpi.REVIEW_OVERDUE
    assert late.due_on == DAY


def test_minutes_are_due_thirty_days_after_the_meeting() -> None:
    held = date(2026, 10, 1)
    due = held + timedelta(days=kpi.MINUTES_APPROVAL_DAYS)
    assert due == date(2026, 10, 31)
    assert kpi.minutes("m", "Oct", held, due, DAY).current
    assert kpi.minutes("m", "Oct", held, None, due).current  # not due yet
    late = kpi.minutes("m", "Oct", held, due + timedelta(days=1), DAY)
    assert (late.reason, late.done_on, late.due_on) == (
        kpi.MINUTES_NOT_APPROVED_ON_TIME,
        date(2026, 11, 1),
        due,
    )
    unapproved = kpi.minutes("m", "Oct", held, None, due + timedelta(days=1))
    assert unapproved.reason == kpi.MINUTES_NOT_APPROVED_ON_TIME
    assert kpi.minutes("m", "Far", date.max, None, DAY).due_on == date.max  # no overflow
    # an approval after as_of is not known as of then
    assert kpi.minutes("m", "Oct", held, DAY, due).current
    assert kpi.minutes("m", "Oct", held, DAY, due).done_on is None


def test_a_credential_must_be_verified_and_in_date_and_expiry_wins() -> None:
    assert kpi.credential("c", "Lee: license", DAY, DAY - timedelta(days=9), DAY).current
    assert kpi.credential("c", "x", DAY, None, DAY).reason == kpi.CREDENTIAL_UNVERIFIED
    after = DAY + timedelta(days=1)
    assert kpi.credential("c", "x", DAY, None, after).reason == kpi.CREDENTIAL_EXPIRED
    assert kpi.credential("c", "x", DAY, DAY, after).reason == kpi.CREDENTIAL_EXPIRED
    assert kpi.credential("c", "x", DAY, after, DAY).reason == kpi.CREDENTIAL_UNVERIFIED


def test_a_corrective_action_is_closed_by_its_due_day() -> None:
    assert kpi.corrective_action("a", "Forms", DAY, DAY, DAY).current
    assert kpi.corrective_action("a", "Forms", DAY, None, DAY).current  # open, not due
    after = DAY + timedelta(days=1)
    assert kpi.corrective_action("a", "Forms", DAY, after, after).reason == kpi.ACTION_CLOSED_LATE
    assert kpi.corrective_action("a", "Forms", DAY, None, after).reason == kpi.ACTION_OVERDUE
    assert kpi.corrective_action("a", "Forms", DAY, after, DAY).current  # closed later: open then


def test_the_table_counts_each_item_once_and_the_share_is_over_all_items() -> None:
    items = [
        kpi.protocol("p1", "A", DAY, DAY),
        kpi.protocol("p2", "B", DAY - timedelta(days=1), DAY),
        kpi.protocol("p2", "B", DAY + timedelta(days=9), DAY),  # the same item again
        kpi.audit_chain("log", True, DAY),
        kpi.corrective_action("a1", "C", DAY, None, DAY),
    ]
    result = kpi.audit_readiness(DAY, items)
    table = {c.category: (c.required, c.current) for c in result.categories}
    assert table == {
        "protocols": (2, 1),
        "minutes": (0, 0),
        "credentials": (0, 0),
        "corrective_actions": (1, 1),
        "audit_chain": (1, 1),
        "meetings": (0, 0),
    }
    assert (result.required, result.current, result.share) == (4, 3, 0.75)
    assert [i.item_id for i in result.not_current] == ["p2"]
    assert kpi.audit_readiness(DAY, []).share == 1.0


offsets = st.integers(min_value=-60, max_value=60)
maybe_offset = st.none() | offsets


@st.composite
def items(draw: st.DrawFn) -> kpi.RequiredItem:
    """Any required item of any category, judged on DAY, with a fresh id."""
    kind = draw(st.sampled_from(kpi.CATEGORIES))
    item_id = str(draw(st.uuids()))
    day = DAY + timedelta(days=draw(offsets))
    done = draw(maybe_offset)
    done_on = None if done is None else DAY + timedelta(days=done)
    if kind == kpi.PROTOCOLS:
        return kpi.protocol(item_id, "p", day, DAY)
    if kind == kpi.MINUTES:
        return kpi.minutes(item_id, "m", day, done_on, DAY)
    if kind == kpi.CREDENTIALS:
        return kpi.credential(item_id, "c", day, done_on, DAY)
    if kind == kpi.CORRECTIVE_ACTIONS:
        return kpi.corrective_action(item_id, "a", day, done_on, DAY)
    return kpi.audit_chain("log", draw(st.booleans()), None)


@given(st.lists(items(), max_size=30), items())
def test_the_share_is_a_fraction_one_only_with_nothing_listed_and_never_lowered_by_a_current_item(
    judged: list[kpi.RequiredItem], extra: kpi.RequiredItem
) -> None:
    result = kpi.audit_readiness(DAY, judged)
    assert 0 <= result.share <= 1
    assert (result.share == 1) == (not result.not_current)
    for category in result.categories:
        assert 0 <= category.share <= 1
        assert category.required == category.current + len(category.not_current)
    assert result.required == len({(i.category, i.item_id) for i in judged})
    if extra.current and (extra.category, extra.item_id) not in {
        (i.category, i.item_id) for i in judged
    }:
        assert kpi.audit_readiness(DAY, [*judged, extra]).share >= result.share


def test_the_calendar_holds_each_month_over_from_the_first_meeting() -> None:
    assert kpi.calendar_months(None, DAY) == []
    assert kpi.calendar_months("2026-11", date(2026, 11, 29)) == []
    assert kpi.calendar_months("2026-11", date(2026, 11, 30)) == ["2026-11"]  # its last day
    assert kpi.calendar_months("2026-11", date(2026, 12, 1)) == ["2026-11"]
    assert kpi.calendar_months("2026-11", date(2027, 2, 3)) == ["2026-11", "2026-12", "2027-01"]
    assert kpi.calendar_months("2199-12", date(2199, 12, 30)) == []


def test_a_month_is_current_once_a_meeting_for_it_was_held_by_the_day() -> None:
    held = kpi.meeting_month("2026-11", date(2026, 12, 3), date(2026, 12, 3))
    assert (held.current, held.due_on, held.done_on) == (
        True,
        date(2026, 11, 30),
        date(2026, 12, 3),
    )
    before = kpi.meeting_month("2026-11", date(2026, 12, 3), date(2026, 12, 2))
    assert (before.reason, before.done_on) == (kpi.NO_MEETING_HELD, None)
    december = kpi.meeting_month("2026-12", None, date(2027, 1, 1))
    assert (december.item_id, december.due_on) == ("2026-12", date(2026, 12, 31))
    assert december.reason == kpi.NO_MEETING_HELD
