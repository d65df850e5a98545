"""The PC's audit-readiness figure of a month, as it arrived through the PC's feed.

Audit readiness is judged at PC Governance (its ADR 0013): the MSO only keeps what the
PC published for a month (`audit-readiness.published` v1), one aggregate per month; the
read model (projections/pc_audit_readiness.py) holds the figure. A later revision
replaces it; a revision no newer than the one held (a message delivered late) is
refused, and the inbound policy skips it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.audit_readiness import MonthFigure
from mhg.errors import Conflict
from mhg.meta import Meta

_NAMESPACE = uuid.UUID("4b2f7e90-6c1d-4a83-9e5f-0d7a3c8b1e62")


class StaleAuditReadiness(Conflict):
    code = "stale-audit-readiness"
    title = "A newer audit-readiness figure of the month is held"


class PcAuditReadiness(Aggregate):
    @staticmethod
    def create_id(month: date) -> UUID:
        return uuid.uuid5(_NAMESPACE, month.isoformat())

    @classmethod
    def receive(
        cls, *, month: date, revision: int, figure: MonthFigure, meta: Meta
    ) -> PcAuditReadiness:
        return cls._create(
            cls.Received,
            id=cls.create_id(month),
            month=month,
            revision=revision,
            meta=meta,
            **asdict(figure),
        )

    class Received(MonthFigure, Aggregate.Created):
        month: date
        revision: int
        meta: Meta

    @event(Received)
    def __init__(self, month: date, revision: int) -> None:
        self.month, self.revision = month, revision

    def revise(self, *, revision: int, figure: MonthFigure, meta: Meta) -> None:
        if revision <= self.revision:
            raise StaleAuditReadiness(
                f"revision {self.revision} of {self.month:%Y-%m} is held; "
                f"revision {revision} is not newer"
            )
        self.trigger_event(self.Revised, revision=revision, meta=meta, **asdict(figure))

    class Revised(MonthFigure, Aggregate.Event):
        revision: int
        meta: Meta

    @event(Revised)
    def _revised(self, revision: int) -> None:
        self.revision = revision
