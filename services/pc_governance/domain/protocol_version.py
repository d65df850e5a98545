"""One version of a protocol: its text, its status and the days it is in effect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from services.pc_governance.domain.protocol_errors import (
    InvalidProtocolTransition,
    UnworkableEffectiveDate,
)
from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    SUPERSEDED,
    DocumentVersion,
)

PROTOCOL_TYPES = ("protocol", "standing_order", "policy")
MAX_SITES = 500
LAST_DAY = date(9998, 12, 31)  # so that a review can always fall due a year later


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def approval_review_due(
    effective_from: date, review_due: date | None, today: date, standing_from: date | None
) -> date:
    """The review date of a version approved to take effect on `effective_from`.

    A version never takes effect retroactively, nor on or before the day the standing
    version (effective from `standing_from`) does; its review falls due after it takes
    effect, a year later unless named.
    """
    if max(effective_from, review_due or effective_from) > LAST_DAY:
        raise UnworkableEffectiveDate(f"dates must be on or before {LAST_DAY}")
    if effective_from < today:
        raise UnworkableEffectiveDate(
            f"effective_from {effective_from} is in the past: a version never takes effect "
            "retroactively"
        )
    if standing_from is not None and effective_from <= standing_from:
        raise UnworkableEffectiveDate(
            f"effective_from must be after {standing_from}, when the standing version takes effect"
        )
    if review_due is not None and review_due <= effective_from:
        raise UnworkableEffectiveDate("review_due must be after effective_from")
    return review_due or one_year_after(effective_from)


def next_review_due_after(today: date, next_review_due: date | None) -> date:
    """When a version reviewed today falls due again: a year later unless named."""
    due = next_review_due or one_year_after(today)
    if not today < due <= LAST_DAY:
        raise UnworkableEffectiveDate(f"next_review_due must be after today, by {LAST_DAY}")
    return due


@dataclass
class Review:
    reviewed_on: date
    reviewed_by: str
    notes: str
    next_review_due: date


@dataclass
class ProtocolVersion(DocumentVersion):
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

    def refusal(self, act: str) -> InvalidProtocolTransition:
        """The error for an act this version's status does not allow."""
        return InvalidProtocolTransition(
            f"cannot {act} version {self.number}: it is {self.status}",
            current_status=self.status,
        )

    def revise(self, body: str, revision: int) -> None:
        self.body = body
        self.revision = revision

    def approve(self, by: str, at: datetime, effective_from: date, review_due: date) -> None:
        self.status = APPROVED
        self.approved_by = by
        self.approved_at = at
        self.effective_from = effective_from
        self.review_due = review_due

    def end(self, status: str, ended_on: date, retire_reason: str | None = None) -> None:
        """Superseded, or retired (with its reason): in effect until `ended_on`."""
        self.status = status
        self.ended_on = ended_on
        if retire_reason is not None:
            self.retire_reason = retire_reason

    def reinstate(self) -> None:
        self.status = APPROVED
        self.ended_on = None

    def review(self, review: Review) -> None:
        self.review_due = review.next_review_due
        self.reviews.append(review)


def superseded_by(
    versions: list[ProtocolVersion], version: ProtocolVersion
) -> ProtocolVersion | None:
    """The version whose end `version` (never effective) had scheduled, if any."""
    return next(
        (
            v
            for v in reversed(versions[: version.number - 1])
            if v.status == SUPERSEDED and v.ended_on == version.effective_from
        ),
        None,
    )
