"""What the MSO has told the PC of a clinical shift's coverage: one record per shift.

Each staffing command judges the shift it changed against the PC's rules (coverage.py)
and, when the judgement differs from the one last recorded, records it here in the same
save: a gap opened, its reasons changed, or it closed (no shortfalls). Each judgement is
published to the PC (`shift.coverage-judged`), which puts open gaps on its governance
agenda. Kept apart from the shift, so that recording it never moves the shift's version.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

_NAMESPACE = uuid.UUID("8f0d5a7e-3c21-4b9e-a6f4-2d7c1e9b0a53")

Shortfalls = list[dict[str, Any]]  # reason, clinician_id (text or None), detail


class ShiftCoverageRecord(Aggregate):
    """Started with a shift's first gap; each judgement after it is a `Judged` event."""

    @staticmethod
    def create_id(shift_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(shift_id))

    class Started(Aggregate.Created):
        shift_id: UUID
        meta: Meta

    @event(Started)
    def __init__(self, id: UUID, shift_id: UUID, meta: Meta) -> None:
        self.shift_id = shift_id
        self.shortfalls: Shortfalls = []  # never judged: covered

    class Judged(Aggregate.Event):
        shift_id: UUID
        site_id: UUID
        day: date
        start: datetime
        end: datetime
        label: str | None
        shortfalls: Shortfalls
        meta: Meta

    @event(Judged)
    def _judged(
        self,
        shift_id: UUID,
        site_id: UUID,
        day: date,
        start: datetime,
        end: datetime,
        label: str | None,
        shortfalls: Shortfalls,
        meta: Meta,
    ) -> None:
        self.shortfalls = shortfalls


def judged(
    record: ShiftCoverageRecord | None, terms: dict[str, Any], shortfalls: Shortfalls, meta: Meta
) -> ShiftCoverageRecord | None:
    """The record with this judgement of the shift (`terms`: shift_id, site_id, day, start,
    end, label) if it changed; None when there is nothing new to record. A shift never
    judged counts as covered: a covered shift starts no record."""
    if (record.shortfalls if record is not None else []) == shortfalls:
        return None
    if record is None:
        shift_id = terms["shift_id"]
        record = ShiftCoverageRecord(
            id=ShiftCoverageRecord.create_id(shift_id), shift_id=shift_id, meta=meta
        )
    record._judged(shortfalls=shortfalls, meta=meta, **terms)
    return record
