"""A clinical shift's coverage as the MSO reported it, kept for the governance meeting.

The MSO judges each clinical shift against the eligibility and supervision rules the
PC published, and publishes the judgement whenever it changes (`shift.coverage-judged`).
PC Governance keeps one record per shift: the latest judgement wins. A shift with
shortfalls has an open coverage gap, which the next meeting's agenda lists; an empty
judgement closes it. The record holds the shift's terms and reasons, never a patient.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

_NAMESPACE = uuid.UUID("c1e7a9d2-4b3f-4e58-9a06-7d2b8f1c5e40")


class ReportedCoverage(Aggregate):
    @staticmethod
    def create_id(shift_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(shift_id))

    class Started(Aggregate.Created):
        shift_id: UUID
        meta: Meta

    @event(Started)
    def __init__(self, id: UUID, shift_id: UUID, meta: Meta) -> None:
        self.shift_id = shift_id
        self.shortfalls: list[dict[str, Any]] = []

    class Reported(Aggregate.Event):
        """The shift's terms and shortfalls as the MSO judged them at `judged_at`."""

        shift_id: UUID
        site_id: UUID
        day: date
        start: datetime
        end: datetime
        label: str | None
        shortfalls: list[dict[str, Any]]
        judged_at: datetime
        meta: Meta

    @event(Reported)
    def report(
        self,
        shift_id: UUID,
        site_id: UUID,
        day: date,
        start: datetime,
        end: datetime,
        label: str | None,
        shortfalls: list[dict[str, Any]],
        judged_at: datetime,
        meta: Meta,
    ) -> None:
        self.shortfalls = shortfalls
