"""The time commands run at: one place, so that tests can set it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def dated() -> dict[str, date]:
    """A command's day, as the aggregate's `today` (read when the command runs)."""
    return {"today": today()}


def timed() -> dict[str, datetime]:
    """A command's moment, as the aggregate's `at` (read when the command runs)."""
    return {"at": now()}
