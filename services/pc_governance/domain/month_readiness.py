"""A month's audit-readiness figure, as the PC publishes it to the MSO (ADR 0013).

One aggregate per month. The Medical Director (or PC quality staff) publishes the figure
of a month that is over: the audit readiness as of the month's last day
(domain/audit_readiness.py), so that the MSO's monthly performance report can carry it.
Publishing again records the next revision (the read models may have caught a late
record); the newest revision is the month's figure. A month not over on the day of
publication is refused: its figure could still move.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.audit_readiness import MonthFigure
from mhg.errors import Conflict
from mhg.meta import Meta

_NAMESPACE = uuid.UUID("8e0a9c1f-3b57-4d2e-a6f1-5c9d2b7e4a30")


class MonthNotOver(Conflict):
    code = "month-not-over"
    title = "The month is not over yet"


def last_day(month: date) -> date:
    """The last day of the month starting on `month`."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class MonthReadiness(Aggregate):
    @staticmethod
    def create_id(month: date) -> UUID:
        return uuid.uuid5(_NAMESPACE, month.isoformat())

    @staticmethod
    def check_over(month: date, today: date) -> None:
        if today <= last_day(month):
            raise MonthNotOver(
                f"{month:%Y-%m} is not over on {today}: its figure is published from "
                f"{last_day(month) + timedelta(days=1)}",
                month=f"{month:%Y-%m}",
            )

    @classmethod
    def publish(cls, *, month: date, figure: MonthFigure, meta: Meta) -> MonthReadiness:
        return cls._create(
            cls.Published,
            id=cls.create_id(month),
            month=month,
            revision=1,
            meta=meta,
            **asdict(figure),
        )

    class Published(MonthFigure, Aggregate.Created):
        month: date
        revision: int
        meta: Meta

    @event(Published)
    def __init__(self, month: date, revision: int) -> None:
        self.month, self.revision = month, revision

    def publish_again(self, *, figure: MonthFigure, meta: Meta) -> None:
        self.trigger_event(
            self.Republished,
            month=self.month,
            revision=self.revision + 1,
            meta=meta,
            **asdict(figure),
        )

    class Republished(MonthFigure, Aggregate.Event):
        month: date
        revision: int
        meta: Meta

    @event(Republished)
    def _republished(self, revision: int) -> None:
        self.revision = revision
