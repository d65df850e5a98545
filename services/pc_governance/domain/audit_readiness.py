"""Audit readiness: the share of the PC's required items that are current as of a day.

Five categories of required item, each judged on its dates alone:
- a protocol in effect is current while `as_of` is on or before its review date;
- the minutes of a meeting held (adjourned) on day D are due by D + MINUTES_APPROVAL_DAYS:
  current if approved by then, or if that day has not come yet; approved later, or still
  unapproved after it, they are not approved on time;
- a credential is current while it is in date (`as_of` on or before `expires_on`) and was
  verified against its primary source; an expired credential is reported as expired even
  when it was never verified;
- a corrective action is current if it was closed (completed) on or before its due day,
  or is still open and not yet due;
- the audit chain is one item, current while it is verifying (see the application query);
- each month of the governance calendar is one item: current once a meeting for that
  month (its period) was held (adjourned) on or before `as_of`, else `no_meeting_held`.
  The calendar runs from the period of the PC's first scheduled meeting through the last
  month whose last day has come by `as_of` (so a month's own figure, as of its last day,
  counts its meeting; a month with days still to come is not required yet).

Each item counts once (an item given twice counts once, and is not current if either copy
is not). The overall share is current / required over every item, not an average of the
categories' shares; with nothing required it is 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MINUTES_APPROVAL_DAYS = 30  # minutes are approved "on time" within 30 days of the meeting

PROTOCOLS = "protocols"
MINUTES = "minutes"
CREDENTIALS = "credentials"
CORRECTIVE_ACTIONS = "corrective_actions"
AUDIT_CHAIN = "audit_chain"
MEETINGS = "meetings"
CATEGORIES = (PROTOCOLS, MINUTES, CREDENTIALS, CORRECTIVE_ACTIONS, AUDIT_CHAIN, MEETINGS)

REVIEW_OVERDUE = "review_overdue"
MINUTES_NOT_APPROVED_ON_TIME = "minutes_not_approved_on_time"
CREDENTIAL_EXPIRED = "credential_expired"
CREDENTIAL_UNVERIFIED = "credential_unverified"
ACTION_OVERDUE = "action_overdue"
ACTION_CLOSED_LATE = "action_closed_late"
CHAIN_NOT_VERIFIED = "chain_not_verified"
NO_MEETING_HELD = "no_meeting_held"


@dataclass(frozen=True)
class RequiredItem:
    """One required item as judged: `reason` is None when it is current.

    `due_on` is the day it is judged against; `done_on` the day it was approved, closed
    or verified, when it was (on or before `as_of`).
    """

    category: str
    item_id: str
    title: str
    due_on: date | None
    done_on: date | None
    reason: str | None

    @property
    def current(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class CategoryReadiness:
    category: str
    required: int
    current: int
    not_current: tuple[RequiredItem, ...]

    @property
    def share(self) -> float:
        return share(self.current, self.required)


@dataclass(frozen=True)
class AuditReadiness:
    as_of: date
    categories: tuple[CategoryReadiness, ...]

    @property
    def required(self) -> int:
        return sum(c.required for c in self.categories)

    @property
    def current(self) -> int:
        return sum(c.current for c in self.categories)

    @property
    def share(self) -> float:
        return share(self.current, self.required)

    @property
    def not_current(self) -> tuple[RequiredItem, ...]:
        return tuple(item for c in self.categories for item in c.not_current)


def share(current: int, required: int) -> float:
    """current / required; 1 when nothing is required."""
    return 1.0 if required == 0 else current / required


def _done(day: date | None, as_of: date) -> date | None:
    """A day counts only once it has come: a later approval is not known as of `as_of`."""
    return day if day is not None and day <= as_of else None


def protocol(item_id: str, title: str, review_due: date, as_of: date) -> RequiredItem:
    reason = REVIEW_OVERDUE if as_of > review_due else None
    return RequiredItem(PROTOCOLS, item_id, title, review_due, None, reason)


def minutes(
    item_id: str, title: str, held_on: date, approved_on: date | None, as_of: date
) -> RequiredItem:
    window = timedelta(days=MINUTES_APPROVAL_DAYS)
    due = held_on + window if held_on <= date.max - window else date.max
    approved = _done(approved_on, as_of)
    late = approved > due if approved is not None else as_of > due
    reason = MINUTES_NOT_APPROVED_ON_TIME if late else None
    return RequiredItem(MINUTES, item_id, title, due, approved, reason)


def credential(
    item_id: str, title: str, expires_on: date, verified_on: date | None, as_of: date
) -> RequiredItem:
    verified = _done(verified_on, as_of)
    reason = None
    if as_of > expires_on:
        reason = CREDENTIAL_EXPIRED
    elif verified is None:
        reason = CREDENTIAL_UNVERIFIED
    return RequiredItem(CREDENTIALS, item_id, title, expires_on, verified, reason)


def corrective_action(
    item_id: str, title: str, due_on: date, closed_on: date | None, as_of: date
) -> RequiredItem:
    closed = _done(closed_on, as_of)
    reason = None
    if closed is not None and closed > due_on:
        reason = ACTION_CLOSED_LATE
    elif closed is None and as_of > due_on:
        reason = ACTION_OVERDUE
    return RequiredItem(CORRECTIVE_ACTIONS, item_id, title, due_on, closed, reason)


def audit_chain(title: str, verifying: bool, verified_on: date | None) -> RequiredItem:
    reason = None if verifying else CHAIN_NOT_VERIFIED
    return RequiredItem(AUDIT_CHAIN, "audit-chain", title, None, verified_on, reason)


def month_start(period: str) -> date:
    """The first day of a "YYYY-MM" period."""
    return date(int(period[:4]), int(period[5:7]), 1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def calendar_months(first: str | None, as_of: date) -> list[str]:
    """Each month ("YYYY-MM") from `first` whose last day has come by `as_of`, in order."""
    months: list[str] = []
    if first is None:
        return months
    tomorrow = as_of + timedelta(days=1) if as_of < date.max else as_of
    month, limit = month_start(first), tomorrow.replace(day=1)
    while month < limit:
        months.append(f"{month:%Y-%m}")
        month = next_month(month)
    return months


def meeting_month(month: str, held_on: date | None, as_of: date) -> RequiredItem:
    """A month of the calendar: current once a meeting for it was held (adjourned) by `as_of`."""
    held = _done(held_on, as_of)
    reason = None if held is not None else NO_MEETING_HELD
    last_day = next_month(month_start(month)) - timedelta(days=1)
    title = f"A governance meeting held for {month}"
    return RequiredItem(MEETINGS, month, title, last_day, held, reason)


def audit_readiness(as_of: date, items: Iterable[RequiredItem]) -> AuditReadiness:
    """The table per category (in CATEGORIES order) over items counted once each."""
    judged: dict[tuple[str, str], RequiredItem] = {}
    for item in items:
        key = (item.category, item.item_id)
        kept = judged.get(key)
        if kept is None or (kept.current and not item.current):
            judged[key] = item
    categories = []
    for category in CATEGORIES:
        members = [i for i in judged.values() if i.category == category]
        failing = tuple(i for i in members if not i.current)
        categories.append(
            CategoryReadiness(category, len(members), len(members) - len(failing), failing)
        )
    return AuditReadiness(as_of, tuple(categories))


def plain(result: AuditReadiness) -> dict[str, Any]:
    """The figures as plain data (days as dates), for the API and the audit packet."""
    return {
        "as_of": result.as_of,
        "share": result.share,
        "required": result.required,
        "current": result.current,
        "categories": [
            {"category": c.category, "required": c.required, "current": c.current, "share": c.share}
            for c in result.categories
        ],
        "not_current": [
            {
                "category": i.category,
                "id": i.item_id,
                "title": i.title,
                "due_on": i.due_on,
                "done_on": i.done_on,
                "reason": i.reason,
            }
            for i in result.not_current
        ],
    }
