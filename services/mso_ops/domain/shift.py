"""A shift at a site, and the staff assigned to it.

Scheduling shifts is the MSO's; whether a shift that needs clinical coverage is
covered is judged against the PC's published rules (see coverage.py). A shortfall
never refuses an assignment: it shows as a coverage gap. What is refused here is only
what cannot be: a shift that ends before it starts, a second assignment of the same
person, a change to a cancelled shift. Patient volume and clinician hours are not
set here: they are the PC's. A shift that needs clinical coverage may name the PC's
visit template it staffs; coverage then also judges it against that template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain import cancellation
from services.mso_ops.domain.cancellation import Cancellation, record_cancellation
from services.mso_ops.domain.site_time import local_day
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.staffing_errors import (
    InvalidShift,
    ShiftCancelled,
    StaffAlreadyOnShift,
    StaffNotOnShift,
)

SCHEDULED = "scheduled"
CANCELLED = cancellation.CANCELLED
MAX_LENGTH = timedelta(hours=24)


@dataclass(frozen=True)
class OnShift:
    staff_id: UUID
    kind: str
    clinician_id: UUID | None


class Shift(Aggregate):
    class Scheduled(Aggregate.Created):
        """v1 had no template; v2 may name one."""

        class_version = 2
        site_id: UUID
        start: datetime
        end: datetime
        day: date
        needs_clinical_coverage: bool
        label: str | None
        template_id: UUID | None
        meta: Meta

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["template_id"] = None

    @classmethod
    def schedule(
        cls,
        *,
        shift_id: UUID,
        site_id: UUID,
        start: datetime,
        end: datetime,
        needs_clinical_coverage: bool,
        label: str | None,
        meta: Meta,
        template_id: UUID | None = None,
        zone: str | None = None,
    ) -> Shift:
        """`zone`: the site's time zone, whose day the shift falls on (site_time.py)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidShift("start and end must carry a UTC offset")
        if end <= start:
            raise InvalidShift("a shift must end after it starts")
        if end - start > MAX_LENGTH:
            raise InvalidShift("a shift lasts at most 24 hours")
        if template_id is not None and not needs_clinical_coverage:
            raise InvalidShift(
                "only a shift that needs clinical coverage staffs a visit template",
                field="template_id",
            )
        return cls(
            id=shift_id,
            site_id=site_id,
            start=start,
            end=end,
            day=local_day(start, zone),
            needs_clinical_coverage=needs_clinical_coverage,
            label=label.strip() if label and label.strip() else None,
            template_id=template_id,
            meta=meta,
        )

    @event(Scheduled)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        start: datetime,
        end: datetime,
        day: date,
        needs_clinical_coverage: bool,
        label: str | None,
        template_id: UUID | None,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.template_id = template_id
        self.start = start
        self.end = end
        self.day = day
        self.needs_clinical_coverage = needs_clinical_coverage
        self.label = label
        self.status = SCHEDULED
        self.staff: dict[UUID, OnShift] = {}
        self.cancellation_reason: str | None = None

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def clinicians(self) -> list[UUID]:
        return [s.clinician_id for s in self.staff.values() if s.clinician_id is not None]

    def _check_open(self) -> None:
        if self.status == CANCELLED:
            raise ShiftCancelled("the shift is cancelled")

    def assign(self, member: StaffMember, meta: Meta) -> None:
        self._check_open()
        if member.id in self.staff:
            raise StaffAlreadyOnShift(f"{member.name} is on this shift already")
        self._assigned(
            staff_id=member.id, kind=member.kind, clinician_id=member.clinician_id, meta=meta
        )

    def release(self, staff_id: UUID, reason: str, meta: Meta) -> None:
        self._check_open()
        if staff_id not in self.staff:
            raise StaffNotOnShift(f"staff member {staff_id} is not on this shift")
        self._released(staff_id=staff_id, reason=reason, meta=meta)

    def cancel(self, reason: str, meta: Meta) -> None:
        self._check_open()
        self._cancelled(reason=reason, meta=meta)

    class StaffAssigned(Aggregate.Event):
        staff_id: UUID
        kind: str
        clinician_id: UUID | None
        meta: Meta

    @event(StaffAssigned)
    def _assigned(self, staff_id: UUID, kind: str, clinician_id: UUID | None, meta: Meta) -> None:
        self.staff[staff_id] = OnShift(staff_id, kind, clinician_id)

    class StaffReleased(Aggregate.Event):
        staff_id: UUID
        reason: str
        meta: Meta

    @event(StaffReleased)
    def _released(self, staff_id: UUID, reason: str, meta: Meta) -> None:
        del self.staff[staff_id]

    class Cancelled(Cancellation):
        pass

    _cancelled = event(Cancelled)(record_cancellation)
