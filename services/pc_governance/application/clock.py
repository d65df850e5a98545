"""The day PC commands and reads take as today (UTC): one place, so that tests can set it.

Today at a site with a time zone (`today_at`) is the day on its wall clock (ADR 0027).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def today_at(zone: str | None) -> date:
    """Today on the wall clock of a site in `zone`; UTC's today for a site without one."""
    return today() if zone is None else now().astimezone(ZoneInfo(zone)).date()


def dated() -> dict[str, date]:
    """A command's day, as the aggregate's `today` (read when the command runs)."""
    return {"today": today()}
