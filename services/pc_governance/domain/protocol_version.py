"""One version of a protocol: its text, its status and the days it is in effect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROTOCOL_TYPES = ("protocol", "standing_order", "policy")
SERVICE_LINES = (
    "sports_clearance",
    "school_physical",
    "community_physical",
    "employment_physical",
    "campus_walk_in",
)
DRAFT = "draft"
APPROVED = "approved"
SUPERSEDED = "superseded"
RETIRED = "retired"
MAX_SITES = 500
LAST_DAY = date(9998, 12, 31)  # so that a review can always fall due a year later


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass
class Review:
    reviewed_on: date
    reviewed_by: str
    notes: str
    next_review_due: date


@dataclass
class ProtocolVersion:
    number: int
    body: str
    drafted_by: str
    drafted_at: datetime
    status: str = DRAFT
    revision: int = 1
    approved_by: str | None = None
    approved_at: datetime | None = None
    effective_from: date | None = None
    ended_on: date | None = None
    retire_reason: str | None = None
    review_due: date | None = None
    reviews: list[Review] = field(default_factory=list)

    def in_effect_on(self, day: date) -> bool:
        if self.effective_from is None or day < self.effective_from:
            return False
        return self.ended_on is None or day < self.ended_on
