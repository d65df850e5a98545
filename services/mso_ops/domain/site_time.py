"""A site's own time: its IANA time zone, and the day an instant falls on there.

Stored instants stay UTC; a day the site judges by (an effective date, "today", the
day of a shift or a visit) is the day on the site's wall clock. A site without a zone
keeps the day it had before zones: the UTC day of "now", the day an instant is written
with (its own offset).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.mso_ops.domain.site_errors import UnknownTimeZone

MAX_ZONE_LENGTH = 64  # the longest IANA name is about 32 characters


def checked_time_zone(name: str | None, field: str = "time_zone") -> str | None:
    """`name` if it is an IANA time zone the standard library knows, else 422 on `field`."""
    if name is None:
        return None
    if not 0 < len(name) <= MAX_ZONE_LENGTH or name != name.strip():
        raise UnknownTimeZone(f"{name!r} is not an IANA time zone name", field=field)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZone(
            f"{name!r} is not an IANA time zone (e.g. America/Los_Angeles)", field=field
        ) from None
    return name


def local_day(instant: datetime, zone: str | None) -> date:
    """The day `instant` falls on at a site in `zone`; without a zone, the day it is
    written with (as before zones)."""
    if zone is None:
        return instant.date()
    return instant.astimezone(ZoneInfo(zone)).date()
