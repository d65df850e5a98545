"""The day PC commands and reads take as today (UTC): one place, so that tests can set it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return datetime.now(UTC).date()


def dated() -> dict[str, date]:
    """A command's day, as the aggregate's `today` (read when the command runs)."""
    return {"today": today()}
