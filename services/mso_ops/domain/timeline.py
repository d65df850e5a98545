"""When each step of a tracked item happened: stated by the caller, checked here.

Lab and forms steps are recorded with the time they happened (a courier's departure
may be entered an hour later). A stated time carries a UTC offset, is not in the
future (beyond a small clock skew), and does not precede the step before it, so the
cycle times computed from these steps are never negative.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mhg.errors import RuleViolation

CLOCK_SKEW = timedelta(minutes=5)


class InvalidStepTime(RuleViolation):
    code = "invalid-step-time"
    title = "The time of this step is not valid"


class StepTimeInFuture(InvalidStepTime):
    code = "step-time-in-future"
    title = "The time of this step is in the future"


class StepTimeOutOfOrder(InvalidStepTime):
    code = "step-time-out-of-order"
    title = "The time of this step precedes the step before it"


def step_time(
    at: datetime,
    *,
    now: datetime,
    after: datetime | None = None,
    step: str,
    previous: str = "the previous step",
) -> datetime:
    """`at` in UTC, or the reason it cannot be the time of `step`."""
    if at.tzinfo is None:
        raise InvalidStepTime(f"{step} must carry a UTC offset", field=step)
    at = at.astimezone(UTC)
    if at > now + CLOCK_SKEW:
        raise StepTimeInFuture(f"{step} {at.isoformat()} is in the future", field=step)
    if after is not None and at < after:
        raise StepTimeOutOfOrder(
            f"{step} {at.isoformat()} is before {previous} ({after.isoformat()})", field=step
        )
    return at
