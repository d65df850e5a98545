"""The MSO's performance report for a month: closed once the month is over, revised after.

Closing records the month's KPIs per site as revision 1; closing again after late data
records the next revision, which supersedes the earlier one (a correction, never an
edit). Each revision is what `performance-report.published` v1 carries to the PC.
"""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.performance_errors import (
    InvalidMonth,
    MonthNotOver,
    ReportNotFound,
    ReportUnchanged,
)

_NAMESPACE = uuid.UUID("9e4b2c7a-6d1f-4a3e-8b5c-2f7e1d9a0c36")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_of(text: str) -> date:
    """The first day of a month written YYYY-MM."""
    match = _MONTH.match(text)
    if match is None or int(match[1]) < 2000:
        raise InvalidMonth(f"{text!r} is not a month written YYYY-MM (from 2000)", field="month")
    return date(int(match[1]), int(match[2]), 1)


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def days_in(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class Revision:
    report_id: UUID
    revision: int
    sites: list[dict[str, Any]]
    published_at: datetime


class PerformanceReport(Aggregate):
    @staticmethod
    def create_id(month: date) -> UUID:
        return uuid.uuid5(_NAMESPACE, month.isoformat())

    @staticmethod
    def check_month_over(month: date, today: date) -> None:
        """`today`: the earliest of the sites' own todays (a month is over when it is over
        at every site, ADR 0027)."""
        if month_after(month) > today:
            raise MonthNotOver(
                f"{month:%Y-%m} ends on {month_after(month).isoformat()}; it cannot be closed yet"
            )

    @classmethod
    def close(
        cls,
        *,
        month: date,
        report_id: UUID,
        sites: list[dict[str, Any]],
        at: datetime,
        meta: Meta,
    ) -> PerformanceReport:
        if month.day != 1:
            raise InvalidMonth("a month is given by its first day", field="month")
        cls.check_month_over(month, at.date())
        first = Revision(report_id, 1, sites, at)
        return cls._create(
            cls.Published, id=cls.create_id(month), month=month, meta=meta, **asdict(first)
        )

    class Published(Revision, Aggregate.Created):
        """Revision 1 of the month (its fields are those of `Revision`)."""

        month: date
        meta: Meta

    @event(Published)
    def __init__(
        self,
        month: date,
        report_id: UUID,
        revision: int,
        sites: list[dict[str, Any]],
        published_at: datetime,
    ) -> None:
        self.month = month
        self.revisions = [Revision(report_id, revision, sites, published_at)]

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    def numbered(self, number: int | None) -> Revision:
        if number is None:
            return self.latest
        if not 1 <= number <= len(self.revisions):
            raise ReportNotFound(
                f"{self.month:%Y-%m} has revisions 1 to {len(self.revisions)}", revision=number
            )
        return self.revisions[number - 1]

    def revision_with(self, report_id: UUID) -> Revision | None:
        return next((r for r in self.revisions if r.report_id == report_id), None)

    def reclose(
        self, *, report_id: UUID, sites: list[dict[str, Any]], at: datetime, meta: Meta
    ) -> None:
        """Late data changed the month: publish the next revision."""
        if sites == self.latest.sites:
            raise ReportUnchanged(
                f"revision {self.latest.revision} of {self.month:%Y-%m} already says this",
                revision=self.latest.revision,
            )
        following = Revision(report_id, self.latest.revision + 1, sites, at)
        self.trigger_event(self.Revised, month=self.month, meta=meta, **asdict(following))

    class Revised(Revision, Aggregate.Event):
        """A later revision of the month (its fields are those of `Revision`)."""

        month: date
        meta: Meta

    @event(Revised)
    def _revised(
        self, report_id: UUID, revision: int, sites: list[dict[str, Any]], published_at: datetime
    ) -> None:
        self.revisions.append(Revision(report_id, revision, sites, published_at))
