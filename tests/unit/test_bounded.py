"""The kernel's bounded types: the range of days and instants, text, months (ADR 0016)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from mhg.bounded import FIRST_DAY, LAST_DAY, Day, Instant, Line, Month, Prose


class Sample(BaseModel):
    day: Day | None = None
    instant: Instant | None = None
    name: Annotated[str, Line(20)] | None = None
    notes: Annotated[str, Prose(20)] | None = None
    month: Month | None = None


def refused(**fields: object) -> bool:
    try:
        Sample.model_validate(fields)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    "instant",
    [
        "9999-12-31T23:00:00-12:00",
        "2199-12-31T23:00:00-12:00",  # 2200 in UTC
        "1900-01-01T00:00:00+01:00",  # 1899 in UTC
        "2200-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "2027-01-01T00:00:00",  # no offset
    ],
)
def test_instants_outside_the_range_or_naive_are_refused(instant: str) -> None:
    assert refused(instant=instant)


@pytest.mark.parametrize(
    "instant", ["1900-01-01T00:00:00Z", "2199-12-31T23:59:59Z", "2199-12-31T09:59:59-14:00"]
)
def test_instants_at_the_edges_are_accepted(instant: str) -> None:
    assert not refused(instant=instant)


@given(
    st.datetimes(timezones=st.just(UTC)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_an_accepted_instant_converts_to_utc_and_back(moment: datetime, offset: int) -> None:
    zone = timezone(timedelta(minutes=offset))
    try:
        written = moment.astimezone(zone)
    except OverflowError:
        return
    try:
        sample = Sample(instant=written)
    except ValidationError:
        return
    assert sample.instant is not None
    in_utc = sample.instant.astimezone(UTC)
    assert FIRST_DAY <= in_utc.date() <= LAST_DAY
    assert FIRST_DAY <= sample.instant.date() <= LAST_DAY


def test_days_lie_in_the_range() -> None:
    assert refused(day="1899-12-31")
    assert refused(day="2200-01-01")
    assert not refused(day="1900-01-01")
    assert not refused(day="2199-12-31")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\n", "\t"])
def test_a_line_carries_no_control_character(char: str) -> None:
    assert refused(name=f"a{char}b")


def test_prose_carries_line_breaks_and_tabs_but_no_other_control() -> None:
    assert Sample(notes="a\nb\r\n\tc").notes == "a\nb\r\n\tc"
    for char in ("\x00", "\x0b", "\x1b", "\x85"):
        assert refused(notes=f"a{char}b")


def test_text_is_bounded_and_any_letter_is_welcome() -> None:
    assert Sample(name="漢😀é" * 6).name == "漢😀é" * 6
    assert refused(name="x" * 21)
    assert refused(name="a\ud800")  # a lone surrogate no store can keep


@pytest.mark.parametrize("month", ["0000-01", "1899-12", "2200-01", "2026-13", "2026-1", "202601"])
def test_months_outside_the_range_are_refused(month: str) -> None:
    assert refused(month=month)


def test_months_inside_the_range_are_accepted() -> None:
    assert not refused(month="1900-01")
    assert not refused(month="2199-12")
