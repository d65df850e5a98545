"""A supervision assignment (an APP supervised by a physician over dates) and the load it adds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

ACTIVE = "active"
ENDED = "ended"


@dataclass(frozen=True)
class Party:
    """What supervision needs to know of a clinician when assigning."""

    clinician_id: UUID
    role: str
    eligible: bool


@dataclass
class Assignment:
    assignment_id: UUID
    app_id: UUID
    physician_id: UUID
    effective_from: date
    effective_to: date | None
    status: str = ACTIVE

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def overlaps(self, start: date, end: date | None) -> bool:
        return (end is None or self.effective_from <= end) and (
            self.effective_to is None or start <= self.effective_to
        )

    def published(self) -> dict[str, Any]:
        """The assignment as the published structure lists it."""
        return {
            "assignment_id": self.assignment_id,
            "app_id": self.app_id,
            "physician_id": self.physician_id,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
        }


def peak_load(assignments: Iterable[Assignment], start: date, end: date | None) -> int:
    """Most assignments in force on any one day of [start, end] (end None: open)."""
    within = [a for a in assignments if a.overlaps(start, end)]
    # the count only rises on a start day, so the peak is on `start` or on one of those
    days = {start} | {a.effective_from for a in within if a.effective_from >= start}
    return max(sum(1 for a in within if a.covers(day)) for day in days)
