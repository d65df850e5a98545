"""The shifts a clinician has been put on: where a PC fact about them finds its shifts.

A shift's coverage depends on the PC's facts about the clinicians on it (eligibility,
role, who supervises whom). When such a fact arrives by feed, the MSO judges again the
shifts it may change: those its clinicians were put on that have not ended. This record
is how it finds them without a read model (docs/adr/0019): each assignment of a
clinician to a shift adds the shift here, in the same save. A release leaves it here:
judging a shift the clinician has left again changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

_NAMESPACE = uuid.UUID("5c1e9a47-2b8d-4f36-9e0a-7d3b6c2f1e84")


class ClinicianShifts(Aggregate):
    """Keyed by the PC's clinician id: the shifts they were put on, with when each ends."""

    @staticmethod
    def create_id(clinician_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"clinician-shifts|{clinician_id}")

    class Started(Aggregate.Created):
        """Their first shift."""

        clinician_id: UUID
        shift_id: UUID
        end: datetime
        meta: Meta

    @event(Started)
    def __init__(
        self, id: UUID, clinician_id: UUID, shift_id: UUID, end: datetime, meta: Meta
    ) -> None:
        self.shifts: dict[UUID, datetime] = {shift_id: end}  # shift id -> its end
        self.clinician_id = clinician_id

    def add(self, shift_id: UUID, end: datetime, meta: Meta) -> None:
        """The clinician was put on the shift (once per shift: a second time adds nothing)."""
        if shift_id not in self.shifts:
            self._added(shift_id=shift_id, end=end, meta=meta)

    class ShiftAdded(Aggregate.Event):
        shift_id: UUID
        end: datetime
        meta: Meta

    @event(ShiftAdded)
    def _added(self, shift_id: UUID, end: datetime, meta: Meta) -> None:
        self.shifts[shift_id] = end

    def ending_after(self, at: datetime) -> list[UUID]:
        """The shifts that have not ended at `at`, in the order the clinician was put on them."""
        return [shift_id for shift_id, end in self.shifts.items() if end > at]


def with_shift(
    index: ClinicianShifts | None, clinician_id: UUID, shift_id: UUID, end: datetime, meta: Meta
) -> ClinicianShifts:
    """The clinician's shifts with this one (`index`: theirs so far, None before the first)."""
    if index is None:
        return ClinicianShifts(
            id=ClinicianShifts.create_id(clinician_id),
            clinician_id=clinician_id,
            shift_id=shift_id,
            end=end,
            meta=meta,
        )
    index.add(shift_id, end, meta)
    return index
