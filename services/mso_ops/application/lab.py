"""Reference lab and courier: specimen pickups, courier runs, results received and released.

A run and the specimens on its manifest change together: planning, departing,
delivering and cancelling a run save the run's event and one per specimen atomically,
so a specimen's own timeline always agrees with the run that carried it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded, record_new
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.courier_run import CourierRun
from services.mso_ops.domain.lab_errors import (
    CourierRunNotFound,
    InvalidManifest,
    SpecimenAlreadyLogged,
    SpecimenNotFound,
)
from services.mso_ops.domain.specimen import Specimen


@dataclass(eq=False)
class LabCommands:
    store: ServiceApplication
    sites: SiteCommands
    clinical_standing: ClinicalStandingCommands

    def log_specimen_pickup(
        self, *, site_id: UUID, reference: str, meta: Meta, **pickup: Any
    ) -> Specimen:
        """A specimen picked up at the site (`pickup`: as `Specimen.log_pickup` names it)."""
        self.sites.site(site_id)  # a site-not-found otherwise
        specimen = Specimen.log_pickup(
            site_id=site_id, reference=reference, now=clock.now(), meta=meta, **pickup
        )
        logged = SpecimenAlreadyLogged(f"specimen {reference} is logged at this site already")
        return record_new(self.store, specimen, logged)

    def specimen(self, specimen_id: UUID) -> Specimen:
        return self.store.load_as(
            Specimen, specimen_id, SpecimenNotFound, f"no specimen {specimen_id}"
        )

    def courier_run(self, run_id: UUID) -> CourierRun:
        return self.store.load_as(
            CourierRun, run_id, CourierRunNotFound, f"no courier run {run_id}"
        )

    courier_run_exists = is_recorded

    def plan_courier_run(
        self, *, run_id: UUID, site_id: UUID, meta: Meta, **plan: Any
    ) -> CourierRun:
        """A run and the specimens on its manifest (`plan`: as `CourierRun.plan` names it)."""
        self.sites.site(site_id)  # a site-not-found otherwise
        run = CourierRun.plan(run_id=run_id, site_id=site_id, meta=meta, **plan)
        specimens = [self._listed_specimen(specimen_id) for specimen_id in run.manifest]
        for specimen in specimens:
            specimen.put_on_run(run_id=run.id, site_id=site_id, meta=meta)
        self.store.record(run, *specimens)
        return run

    def _listed_specimen(self, specimen_id: UUID) -> Specimen:
        if specimen_id in self.store.repository:
            specimen: object = self.store.repository.get(specimen_id)
            if isinstance(specimen, Specimen):
                return specimen
        raise InvalidManifest(f"no specimen {specimen_id}", field="specimen_ids")

    def _run_for_update(self, run_id: UUID, expected_version: int | None) -> CourierRun:
        run = self.courier_run(run_id)
        self.store.check_version(run, expected_version)
        return run

    def _with_manifest(self, run: CourierRun, step: Callable[[Specimen], None]) -> CourierRun:
        """The run's step taken by every specimen on its manifest: saved with the run, at once."""
        specimens = [self.specimen(specimen_id) for specimen_id in run.manifest]
        for specimen in specimens:
            step(specimen)
        self.store.record(run, *specimens)
        return run

    def depart_courier_run(
        self, run_id: UUID, *, at: datetime | None, expected_version: int | None, meta: Meta
    ) -> CourierRun:
        run = self._run_for_update(run_id, expected_version)
        now = clock.now()
        departed_at = run.depart(at=at or now, now=now, meta=meta)
        return self._with_manifest(
            run, lambda specimen: specimen.depart(run_id=run.id, at=departed_at, now=now, meta=meta)
        )

    def deliver_courier_run(
        self, run_id: UUID, *, at: datetime | None, expected_version: int | None, meta: Meta
    ) -> CourierRun:
        run = self._run_for_update(run_id, expected_version)
        now = clock.now()
        delivered_at = run.deliver(at=at or now, now=now, meta=meta)
        return self._with_manifest(
            run,
            lambda specimen: specimen.deliver(
                run_id=run.id, at=delivered_at, lab=run.lab, now=now, meta=meta
            ),
        )

    def cancel_courier_run(
        self, run_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> CourierRun:
        run = self._run_for_update(run_id, expected_version)
        run.cancel(reason=reason, meta=meta)
        return self._with_manifest(
            run, lambda specimen: specimen.take_off_run(run_id=run.id, meta=meta)
        )

    def receive_result(
        self,
        specimen_id: UUID,
        *,
        at: datetime | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Specimen:
        now = clock.now()
        return self.store.change(
            self.specimen(specimen_id),
            expected_version,
            lambda specimen: specimen.receive_result(at=at or now, now=now, meta=meta),
        )

    def release_result(
        self,
        specimen_id: UUID,
        *,
        clinician_id: UUID,
        at: datetime | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Specimen:
        now = clock.now()

        def release(specimen: Specimen) -> None:
            zone = self.sites.site(specimen.site_id).time_zone  # the day of release at the site
            on = clock.day_at(at or now, zone)
            self.clinical_standing.clinician_acting(clinician_id, on=on)
            specimen.release_result(clinician_id=clinician_id, at=at or now, now=now, meta=meta)

        return self.store.change(self.specimen(specimen_id), expected_version, release)
