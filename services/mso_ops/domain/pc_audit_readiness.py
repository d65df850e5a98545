"""The PC's audit-readiness figure of a month, as it arrived through the PC's feed.

Audit readiness is judged at PC Governance (its ADR 0013): the MSO only keeps what the
PC published for a month (`audit-readiness.published` v1), one aggregate per month. A
later revision replaces the figure; a revision no newer than the one held (a message
delivered late) is refused, and the inbound policy skips it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.errors import Conflict
from mhg.meta import Meta

_NAMESPACE = uuid.UUID("4b2f7e90-6c1d-4a83-9e5f-0d7a3c8b1e62")


class StaleAuditReadiness(Conflict):
    code = "stale-audit-readiness"
    title = "A newer audit-readiness figure of the month is held"


@dataclass(frozen=True)
class PcFigure:
    """`current` of `required` governance items were current on `as_of` (per category too)."""

    revision: int
    as_of: date
    required: int
    current: int
    categories: list[dict[str, Any]]
    published_at: datetime


class PcAuditReadiness(Aggregate):
    @staticmethod
    def create_id(month: date) -> UUID:
        return uuid.uuid5(_NAMESPACE, month.isoformat())

    @classmethod
    def receive(cls, *, month: date, figure: PcFigure, meta: Meta) -> PcAuditReadiness:
        return cls._create(
            cls.Received, id=cls.create_id(month), month=month, meta=meta, **asdict(figure)
        )

    class Received(PcFigure, Aggregate.Created):
        month: date
        meta: Meta

    @event(Received)
    def __init__(
        self,
        month: date,
        revision: int,
        as_of: date,
        required: int,
        current: int,
        categories: list[dict[str, Any]],
        published_at: datetime,
    ) -> None:
        self.month = month
        self.figure = PcFigure(revision, as_of, required, current, categories, published_at)

    def revise(self, *, figure: PcFigure, meta: Meta) -> None:
        if figure.revision <= self.figure.revision:
            raise StaleAuditReadiness(
                f"revision {self.figure.revision} of {self.month:%Y-%m} is held; "
                f"revision {figure.revision} is not newer"
            )
        self.trigger_event(self.Revised, meta=meta, **asdict(figure))

    class Revised(PcFigure, Aggregate.Event):
        meta: Meta

    @event(Revised)
    def _revised(
        self,
        revision: int,
        as_of: date,
        required: int,
        current: int,
        categories: list[dict[str, Any]],
        published_at: datetime,
    ) -> None:
        self.figure = PcFigure(revision, as_of, required, current, categories, published_at)
