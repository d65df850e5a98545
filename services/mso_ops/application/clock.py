"""The time commands run at: one place, so that tests can set it.

What day it is at a site is answered here too (`today_at`, `day_at`): in the site's
time zone when it has one, as before zones (UTC) when it has none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.mso_ops.domain.site_time import local_day


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def today_at(zone: str | None) -> date:
    """Today on the wall clock of a site in `zone`; UTC's today for a site without one."""
    return today() if zone is None else local_day(now(), zone)


def day_at(instant: datetime, zone: str | None) -> date:
    """The day `instant` falls on at a site in `zone` (see `local_day`)."""
    return local_day(instant, zone)


def dated() -> dict[str, date]:
    """A command's day, as the aggregate's `today` (read when the command runs)."""
    return {"today": today()}


def timed() -> dict[str, datetime]:
    """A command's moment, as the aggregate's `at` (read when the command runs)."""
    return {"at": now()}
