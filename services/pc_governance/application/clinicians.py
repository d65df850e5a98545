"""Clinicians, their credentials, and the supervision structure built on their eligibility."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from mhg.aggregate_command import record_new, step
from mhg.errors import StaleVersion
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.pc_governance.application import clock
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.clinician_errors import (
    ClinicianAlreadyRegistered,
    ClinicianNotFound,
    InvalidAssignment,
    SupervisionRulesNotFound,
    SupervisionRulesRequired,
    SweepDateInFuture,
)
from services.pc_governance.domain.supervision import Party, SupervisionStructure

_PAGE = 500


@dataclass(frozen=True)
class Swept:
    clinician: Clinician
    lapsed: list[UUID]
    lost_eligibility: bool


class ClinicianCommands(Capability):
    def register_clinician(self, *, npi: str, name: str, role: str, meta: Meta) -> Clinician:
        clinician = Clinician.register(npi=npi, name=name, role=role, meta=meta)
        registered = ClinicianAlreadyRegistered(f"NPI {clinician.npi} is registered already")
        return record_new(self.store, clinician, registered)

    def clinician(self, clinician_id: UUID) -> Clinician:
        return self.store.load_as(
            Clinician, clinician_id, ClinicianNotFound, f"no clinician {clinician_id}"
        )

    add_credential = step(clinician, Clinician.add_credential)

    verify_credential = step(clinician, Clinician.verify_credential, clock.dated)

    renew_credential = step(clinician, Clinician.renew_credential, clock.dated)

    def record_expirations(self, *, as_of: date, meta: Meta) -> list[Swept]:
        """The expiry sweep: every lapsed credential of every clinician, saved at once."""
        if as_of > clock.today():
            raise SweepDateInFuture(f"as_of {as_of} is after today ({clock.today()})")
        swept = []
        for clinician_id in self._clinician_ids():
            clinician = self.clinician(clinician_id)
            was_eligible = clinician.eligible
            lapsed = clinician.record_expirations(as_of=as_of, meta=meta)
            if lapsed:
                lost = was_eligible and not clinician.eligible
                swept.append(Swept(clinician, lapsed, lost_eligibility=lost))
        self.store.record(*(s.clinician for s in swept))
        return swept

    def _clinician_ids(self) -> Iterator[UUID]:
        """Every registered clinician, from the log itself (a read model may lag)."""
        topic = get_topic(Clinician.Registered)
        after = 0
        while True:
            page = self.store.recorder.select_notifications(
                start=after, limit=_PAGE, topics=[topic], inclusive_of_start=False
            )
            for notification in page:
                yield UUID(str(notification.originator_id))
            if len(page) < _PAGE:
                return
            after = page[-1].id


class SupervisionCommands(Capability):
    """The supervision structure; it builds on the clinician commands."""

    def __init__(self, store: ServiceApplication, clinicians: ClinicianCommands) -> None:
        super().__init__(store)
        self.clinicians = clinicians

    def supervision(self) -> SupervisionStructure:
        return self.store.load_as(
            SupervisionStructure,
            SupervisionStructure.ID,
            SupervisionRulesNotFound,
            "no supervision rules are set",
        )

    def supervision_exists(self) -> bool:
        return SupervisionStructure.ID in self.store.repository

    def set_supervision_rules(
        self, *, expected_version: int | None, meta: Meta, **rules: Any
    ) -> SupervisionStructure:
        """The first rules, or new ones at the version the caller read (`rules`: as
        `SupervisionStructure.set_rules` names them)."""
        if not self.supervision_exists():
            if expected_version is not None:
                raise StaleVersion(
                    "no supervision rules are set yet: set the first ones without If-Match",
                    current_version=0,
                )
            structure = SupervisionStructure.establish(today=clock.today(), meta=meta, **rules)
        else:
            structure = self.supervision()
            self.store.check_version(structure, expected_version)
            structure.set_rules(today=clock.today(), meta=meta, **rules)
        self.store.record(structure)
        return structure

    def assign_supervision(
        self, *, app_id: UUID, physician_id: UUID, meta: Meta, **assignment: Any
    ) -> SupervisionStructure:
        """An APP under a physician (`assignment`: as `SupervisionStructure.assign` names it)."""
        if not self.supervision_exists():
            raise SupervisionRulesRequired("set the supervision rules first")
        structure = self.supervision()
        structure.assign(
            app=self._party(app_id, "app_id"),
            physician=self._party(physician_id, "physician_id"),
            today=clock.today(),
            meta=meta,
            **assignment,
        )
        self.store.record(structure)
        return structure

    def _party(self, clinician_id: UUID, field: str) -> Party:
        if clinician_id not in self.store.repository:
            raise InvalidAssignment(f"{field} names no clinician", field=field)
        clinician = self.clinicians.clinician(clinician_id)
        return Party(clinician.id, clinician.role, clinician.eligible)

    def end_supervision(
        self,
        assignment_id: UUID,
        *,
        last_day: date,
        expected_version: int | None,
        meta: Meta,
    ) -> SupervisionStructure:
        return self.store.change(
            self.supervision(),
            expected_version,
            lambda structure: structure.end(
                assignment_id, last_day=last_day, today=clock.today(), meta=meta
            ),
        )
