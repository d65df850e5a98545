"""KPI formulas over plain facts: counts, amounts in cents, durations in seconds, timestamps.

Pure functions, so that each definition of docs/domain.md#kpis is stated and tested once. Rates
and shares are fractions (0.0833), NPS is in points (-100..100), times are in days or
hours; every result is a Decimal rounded for reporting, or None when there is no data.
Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at
rank ceil(p * n / 100); the median of an even count is the mean of the two middle values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

RATE = Decimal("0.0001")
POINTS = Decimal("0.1")
HUNDREDTHS = Decimal("0.01")
DAY_SECONDS = 86_400
HOUR_SECONDS = 3_600
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


class InvalidFact(ValueError):
    """A fact that cannot be true (a negative count, a score outside 0-10, time reversed)."""


def ratio(numerator: int, denominator: int, places: Decimal = RATE) -> Decimal | None:
    if numerator < 0 or denominator < 0:
        raise InvalidFact("counts are never negative")
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places)


def median(values: Sequence[int]) -> Decimal | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def percentile(values: Sequence[int], p: int) -> Decimal | None:
    """Nearest-rank percentile, 0 < p <= 100."""
    if not 0 < p <= 100:
        raise InvalidFact("a percentile is between 1 and 100")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (p * len(ordered) + 99) // 100
    return Decimal(ordered[rank - 1])


def share_within(values: Sequence[int], limit: int) -> Decimal | None:
    """The share of values at or under the limit."""
    return ratio(sum(1 for v in values if v <= limit), len(values))


def in_days(seconds: Decimal | None) -> Decimal | None:
    return None if seconds is None else (seconds / DAY_SECONDS).quantize(HUNDREDTHS)


def in_hours(seconds: Decimal | None) -> Decimal | None:
    return None if seconds is None else (seconds / HOUR_SECONDS).quantize(HUNDREDTHS)


def elapsed_seconds(start: datetime, end: datetime) -> int:
    if end < start:
        raise InvalidFact(f"{end.isoformat()} is before {start.isoformat()}")
    return int((end - start).total_seconds())


def survey_counts(scores: Iterable[int]) -> tuple[int, int, int]:
    """(responses, promoters 9-10, detractors 0-6)."""
    responses = promoters = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise InvalidFact(f"a survey score is 0 to 10, not {score}")
        responses += 1
        promoters += score >= PROMOTER_FROM
        detractors += score <= DETRACTOR_UP_TO
    return responses, promoters, detractors


def nps(responses: int, promoters: int, detractors: int) -> Decimal | None:
    """% of promoters minus % of detractors, in points."""
    if min(promoters, detractors) < 0 or promoters + detractors > responses:
        raise InvalidFact("more promoters and detractors than responses")
    if responses == 0:
        return None
    return (Decimal(promoters - detractors) * 100 / responses).quantize(POINTS)


def no_show_rate(no_shows: int, came_due: int) -> Decimal | None:
    """No-shows over booked appointments that came due (fulfilled or no-show)."""
    return ratio(no_shows, came_due)


def third_next_available_seconds(
    requested_at: datetime, open_slots: Iterable[datetime]
) -> int | None:
    """From a request to the start of the third open slot at or after it (None: fewer than 3)."""
    upcoming = sorted(start for start in open_slots if start >= requested_at)
    return None if len(upcoming) < 3 else elapsed_seconds(requested_at, upcoming[2])


@dataclass(frozen=True)
class ResultsCycle:
    """One specimen's steps, in seconds: collected -> received -> released."""

    to_received: int
    to_released: int

    @property
    def total(self) -> int:
        return self.to_received + self.to_released


def results_cycle(collected: datetime, received: datetime, released: datetime) -> ResultsCycle:
    return ResultsCycle(elapsed_seconds(collected, received), elapsed_seconds(received, released))


def site_reliability(open_minutes: int, scheduled_minutes: int) -> Decimal | None:
    """Scheduled open minutes actually open over scheduled open minutes."""
    if open_minutes > scheduled_minutes:
        raise InvalidFact("a site cannot be open longer than scheduled")
    return ratio(open_minutes, scheduled_minutes)


def minutes_down(
    start: datetime, end: datetime, windows: Iterable[tuple[datetime, datetime]]
) -> int:
    """Whole minutes of [start, end) inside any of the windows (overlapping windows once)."""
    down = 0
    reached = start
    for window_start, window_end in sorted(windows):
        lower, upper = max(window_start, reached), min(window_end, end)
        if upper > lower:
            down += int((upper - lower).total_seconds())
            reached = upper
    return down // 60


def audit_readiness(current: int, required: int) -> Decimal | None:
    """Share of the required audit items that are current."""
    return ratio(current, required)


def expansion_readiness(met: int, items: int) -> Decimal | None:
    """Share of a candidate site's readiness checklist that is met."""
    return ratio(met, items)


def clean_claim_rate(clean: int, responded: int) -> Decimal | None:
    """Claims whose first payer response was not a denial, over claims with a response."""
    return ratio(clean, responded)


def initial_denial_rate(denied: int, adjudicated: int) -> Decimal | None:
    """Claims denied at their first adjudication, over claims adjudicated (paid or denied)."""
    return ratio(denied, adjudicated)


def amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(HUNDREDTHS)


def days_in_ar(balance_cents: int, charges_cents: int, days: int) -> Decimal | None:
    """Open receivables over the average daily charges of the period."""
    if balance_cents < 0 or charges_cents < 0 or days <= 0:
        raise InvalidFact("balances, charges and days are never negative")
    if charges_cents == 0:
        return None
    return (Decimal(balance_cents) * days / Decimal(charges_cents)).quantize(HUNDREDTHS)
