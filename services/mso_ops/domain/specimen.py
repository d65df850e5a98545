"""A specimen on its way from a site to the reference lab, and its result on the way back.

awaiting_pickup -> on_run (put on a courier run's manifest; back to awaiting_pickup if
the run is cancelled) -> in_transit (the run departed) -> at_lab (the run delivered it)
-> result_received -> result_released (to a clinician, by reference to the clinician id).

The MSO coordinates logistics only: a specimen is known by its site and its label or
accession reference, never by what was collected or why, and a result is known by the
times it was received and released, never by its content. Every step carries the time
it happened; the results cycle time (collection -> release) is computed from them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.service_lines import SERVICE_LINES
from mhg.meta import Meta
from services.mso_ops.domain.lab_errors import (
    InvalidManifest,
    InvalidSpecimen,
    InvalidSpecimenTransition,
)
from services.mso_ops.domain.timeline import step_time

AWAITING_PICKUP = "awaiting_pickup"
ON_RUN = "on_run"
IN_TRANSIT = "in_transit"
AT_LAB = "at_lab"
RESULT_RECEIVED = "result_received"
RESULT_RELEASED = "result_released"
STATUSES = (AWAITING_PICKUP, ON_RUN, IN_TRANSIT, AT_LAB, RESULT_RECEIVED, RESULT_RELEASED)

# What a specimen in each status waits for, and the default hours it may wait for it.
WAITING_FOR = {
    AWAITING_PICKUP: "pickup",
    ON_RUN: "delivery",
    IN_TRANSIT: "delivery",
    AT_LAB: "result",
    RESULT_RECEIVED: "release",
}
DEFAULT_OVERDUE_HOURS = {"pickup": 4, "delivery": 6, "result": 48, "release": 24}

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_NAMESPACE = uuid.UUID("3b0e7d9c-5a41-4f2e-8c61-7d2a9e4b1f05")


class Specimen(Aggregate):
    @staticmethod
    def create_id(site_id: UUID, reference: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{site_id}|{reference}")

    @classmethod
    def log_pickup(
        cls,
        *,
        site_id: UUID,
        service_line: str,
        reference: str,
        collected_at: datetime,
        now: datetime,
        meta: Meta,
    ) -> Specimen:
        if service_line not in SERVICE_LINES:
            raise InvalidSpecimen(
                f"service_line must be one of {', '.join(SERVICE_LINES)}", field="service_line"
            )
        if not REFERENCE.match(reference):
            raise InvalidSpecimen(
                "the reference is a label or accession number: letters, digits, '.', '_', '-'",
                field="reference",
            )
        return cls(
            id=cls.create_id(site_id, reference),
            site_id=site_id,
            service_line=service_line,
            reference=reference,
            collected_at=step_time(collected_at, now=now, step="collected_at"),
            meta=meta,
        )

    class PickupLogged(Aggregate.Created):
        site_id: UUID
        service_line: str
        reference: str
        collected_at: datetime
        meta: Meta

    @event(PickupLogged)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        reference: str,
        collected_at: datetime,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.reference = reference
        self.collected_at = collected_at
        self.status = AWAITING_PICKUP
        self.run_id: UUID | None = None
        self.departed_at: datetime | None = None
        self.delivered_at: datetime | None = None
        self.lab: str | None = None
        self.result_received_at: datetime | None = None
        self.result_released_at: datetime | None = None
        self.released_to: UUID | None = None

    def _require(self, status: str, step: str) -> None:
        if self.status != status:
            raise InvalidSpecimenTransition(
                f"the specimen is {self.status.replace('_', ' ')}; it cannot be {step}",
                current_status=self.status,
            )

    def _require_run(self, run_id: UUID) -> None:
        if self.run_id != run_id:
            raise InvalidSpecimenTransition(
                f"the specimen is not on run {run_id}", current_status=self.status
            )

    # commands
    def put_on_run(self, *, run_id: UUID, site_id: UUID, meta: Meta) -> None:
        if site_id != self.site_id:
            raise InvalidManifest(
                f"specimen {self.reference} is at another site than the run", field="specimen_ids"
            )
        self._require(AWAITING_PICKUP, "put on a courier run")
        self._put_on_run(run_id=run_id, meta=meta)

    def take_off_run(self, *, run_id: UUID, meta: Meta) -> None:
        """The run was cancelled before it left: the specimen waits for pickup again."""
        self._require(ON_RUN, "taken off a run")
        self._require_run(run_id)
        self._taken_off_run(run_id=run_id, meta=meta)

    def depart(self, *, run_id: UUID, at: datetime, now: datetime, meta: Meta) -> None:
        self._require(ON_RUN, "picked up")
        self._require_run(run_id)
        at = step_time(
            at, now=now, after=self.collected_at, step="departed_at", previous="collection"
        )
        self._departed(run_id=run_id, at=at, meta=meta)

    def deliver(self, *, run_id: UUID, at: datetime, lab: str, now: datetime, meta: Meta) -> None:
        self._require(IN_TRANSIT, "delivered to the lab")
        self._require_run(run_id)
        at = step_time(
            at, now=now, after=self.departed_at, step="delivered_at", previous="departure"
        )
        self._delivered(run_id=run_id, at=at, lab=lab, meta=meta)

    def receive_result(self, *, at: datetime, now: datetime, meta: Meta) -> None:
        self._require(AT_LAB, "given a result")
        at = step_time(
            at, now=now, after=self.delivered_at, step="at", previous="delivery to the lab"
        )
        self._result_received(at=at, meta=meta)

    def release_result(
        self, *, clinician_id: UUID, at: datetime, now: datetime, meta: Meta
    ) -> None:
        self._require(RESULT_RECEIVED, "released to a clinician")
        at = step_time(
            at, now=now, after=self.result_received_at, step="at", previous="the result's receipt"
        )
        self._result_released(clinician_id=clinician_id, at=at, meta=meta)

    # events
    class PutOnRun(Aggregate.Event):
        run_id: UUID
        meta: Meta

    @event(PutOnRun)
    def _put_on_run(self, run_id: UUID, meta: Meta) -> None:
        self.status = ON_RUN
        self.run_id = run_id

    class TakenOffRun(Aggregate.Event):
        run_id: UUID
        meta: Meta

    @event(TakenOffRun)
    def _taken_off_run(self, run_id: UUID, meta: Meta) -> None:
        self.status = AWAITING_PICKUP
        self.run_id = None

    class Departed(Aggregate.Event):
        run_id: UUID
        at: datetime
        meta: Meta

    @event(Departed)
    def _departed(self, run_id: UUID, at: datetime, meta: Meta) -> None:
        self.status = IN_TRANSIT
        self.departed_at = at

    class DeliveredToLab(Aggregate.Event):
        run_id: UUID
        at: datetime
        lab: str
        meta: Meta

    @event(DeliveredToLab)
    def _delivered(self, run_id: UUID, at: datetime, lab: str, meta: Meta) -> None:
        self.status = AT_LAB
        self.delivered_at = at
        self.lab = lab

    class ResultReceived(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(ResultReceived)
    def _result_received(self, at: datetime, meta: Meta) -> None:
        self.status = RESULT_RECEIVED
        self.result_received_at = at

    class ResultReleased(Aggregate.Event):
        clinician_id: UUID
        at: datetime
        meta: Meta

    @event(ResultReleased)
    def _result_released(self, clinician_id: UUID, at: datetime, meta: Meta) -> None:
        self.status = RESULT_RELEASED
        self.result_released_at = at
        self.released_to = clinician_id
