"""A courier run: a vendor carries a manifest of specimens from a site to the lab.

planned (with its manifest) -> departed -> delivered; or planned -> cancelled, which
sends every specimen on the manifest back to waiting for pickup. The courier is an MSO
vendor; the lab is the one the PC chose, named here only as the run's destination.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain import cancellation
from services.mso_ops.domain.cancellation import Cancellation, record_cancellation
from services.mso_ops.domain.lab_errors import (
    InvalidCourierRun,
    InvalidCourierRunTransition,
    InvalidManifest,
)
from services.mso_ops.domain.timeline import step_time

PLANNED = "planned"
DEPARTED = "departed"
DELIVERED = "delivered"
CANCELLED = cancellation.CANCELLED
STATUSES = (PLANNED, DEPARTED, DELIVERED, CANCELLED)

MAX_MANIFEST = 200


class CourierRun(Aggregate):
    @classmethod
    def plan(
        cls,
        *,
        run_id: UUID,
        site_id: UUID,
        courier_vendor: str,
        lab: str,
        specimen_ids: list[UUID],
        meta: Meta,
    ) -> CourierRun:
        if not courier_vendor.strip() or not lab.strip():
            raise InvalidCourierRun("name the courier vendor and the lab")
        if not 1 <= len(specimen_ids) <= MAX_MANIFEST:
            raise InvalidManifest(
                f"a manifest lists 1 to {MAX_MANIFEST} specimens", field="specimen_ids"
            )
        if len(set(specimen_ids)) != len(specimen_ids):
            raise InvalidManifest("a specimen is listed twice", field="specimen_ids")
        return cls(
            id=run_id,
            site_id=site_id,
            courier_vendor=courier_vendor.strip(),
            lab=lab.strip(),
            manifest=list(specimen_ids),
            meta=meta,
        )

    class Planned(Aggregate.Created):
        site_id: UUID
        courier_vendor: str
        lab: str
        manifest: list[UUID]
        meta: Meta

    @event(Planned)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        courier_vendor: str,
        lab: str,
        manifest: list[UUID],
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.courier_vendor = courier_vendor
        self.lab = lab
        self.manifest = list(manifest)
        self.status = PLANNED
        self.departed_at: datetime | None = None
        self.delivered_at: datetime | None = None
        self.cancellation_reason: str | None = None

    def _require(self, status: str, step: str) -> None:
        if self.status != status:
            raise InvalidCourierRunTransition(
                f"the run is {self.status}; it cannot {step}", current_status=self.status
            )

    # commands
    def depart(self, *, at: datetime, now: datetime, meta: Meta) -> datetime:
        self._require(PLANNED, "depart")
        at = step_time(at, now=now, step="at")
        self._departed(at=at, meta=meta)
        return at

    def deliver(self, *, at: datetime, now: datetime, meta: Meta) -> datetime:
        self._require(DEPARTED, "be delivered")
        at = step_time(at, now=now, after=self.departed_at, step="at", previous="departure")
        self._delivered(at=at, meta=meta)
        return at

    def cancel(self, *, reason: str, meta: Meta) -> None:
        self._require(PLANNED, "be cancelled (only a run that has not left can)")
        self._cancelled(reason=reason, meta=meta)

    # events
    class Departed(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(Departed)
    def _departed(self, at: datetime, meta: Meta) -> None:
        self.status = DEPARTED
        self.departed_at = at

    class Delivered(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(Delivered)
    def _delivered(self, at: datetime, meta: Meta) -> None:
        self.status = DELIVERED
        self.delivered_at = at

    class Cancelled(Cancellation):
        pass

    _cancelled = event(Cancelled)(record_cancellation)
