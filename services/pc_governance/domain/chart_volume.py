"""How many charts an APP signed in a month, as the PC counts them (from its EHR).

The supervision rules set the share of an APP's charts their supervising physicians
review (`chart_review_share_percent`); the charts reviewed are those of the APP's
completed review samples for the month (quality.py). This count is what the share is
taken of: the month's required reviews are the share of it, rounded up. One record per
APP and month; a later count replaces the earlier one (each is kept in the log).
"""

from __future__ import annotations

import re
import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.clinician_errors import InvalidChartVolume

_NAMESPACE = uuid.UUID("5e2a9c41-7d3b-4f86-b0e5-91c4d8a2f617")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_CHARTS = 100_000


def required_reviews(charts: int, share_percent: int) -> int:
    """The reviews the share asks of `charts`, rounded up (a share of 1 chart is 1)."""
    return -(-charts * share_percent // 100)


class ChartVolume(Aggregate):
    @staticmethod
    def create_id(app_id: UUID, month: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{app_id}|{month}")

    @staticmethod
    def check(month: str, charts: int) -> None:
        if not _MONTH.match(month):
            raise InvalidChartVolume(f"month {month!r} is not a month like 2026-11", field="month")
        if not 0 <= charts <= MAX_CHARTS:
            raise InvalidChartVolume(f"charts must be 0 to {MAX_CHARTS}", field="charts")

    class Counted(Aggregate.Created):
        app_id: UUID
        month: str
        charts: int
        meta: Meta

    @event(Counted)
    def __init__(self, id: UUID, app_id: UUID, month: str, charts: int, meta: Meta) -> None:
        self.app_id = app_id
        self.month = month
        self.charts = charts

    class Recounted(Aggregate.Event):
        charts: int
        meta: Meta

    @event(Recounted)
    def recount(self, charts: int, meta: Meta) -> None:
        self.charts = charts
