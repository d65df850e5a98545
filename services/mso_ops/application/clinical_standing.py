"""The PC's clinician eligibility and supervision rules, recorded as they arrive by feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from contracts.v1.supervision import PublishedRules
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.clinical_standing import (
    ClinicianStanding,
    Eligibility,
    SupervisionRules,
)
from services.mso_ops.domain.staffing_errors import (
    ClinicianNotCredentialed,
    ClinicianNotEligible,
    ClinicianStandingNotFound,
    SupervisionRulesNotReceived,
)


@dataclass(eq=False)
class ClinicalStandingCommands:
    store: ServiceApplication

    def record_clinician_eligibility(
        self, clinician_id: UUID, eligibility: Eligibility, *, meta: Meta, tracking: Tracking
    ) -> ClinicianStanding:
        if self.clinician_known(clinician_id):
            standing = self.clinician_standing(clinician_id)
            standing.record_change(eligibility=eligibility, meta=meta)
        else:
            standing = ClinicianStanding.first_heard(
                clinician_id=clinician_id, eligibility=eligibility, meta=meta
            )
        self.store.record(standing, tracking=tracking)
        return standing

    def clinician_known(self, clinician_id: UUID) -> bool:
        return ClinicianStanding.create_id(clinician_id) in self.store.repository

    def clinician_standing(self, clinician_id: UUID) -> ClinicianStanding:
        standing: ClinicianStanding = self.store.load(
            ClinicianStanding.create_id(clinician_id),
            ClinicianStandingNotFound,
            f"the PC has not published clinician {clinician_id}",
        )
        return standing

    def clinician_acting(self, clinician_id: UUID, *, on: date) -> ClinicianStanding:
        """The PC clinician a clinical act is recorded for, if the PC holds them eligible.

        Read from this service's own event store (what the PC's feed has said), never
        from a read model (docs/adr/0019).
        """
        if not self.clinician_known(clinician_id):
            raise ClinicianNotCredentialed(
                f"the PC has not credentialed clinician {clinician_id}", field="clinician_id"
            )
        standing = self.clinician_standing(clinician_id)
        if not standing.eligible_on(on):
            raise ClinicianNotEligible(
                f"the PC does not hold clinician {clinician_id} eligible on {on}",
                clinician_id=str(clinician_id),
            )
        return standing

    def record_supervision_rules(
        self, *, meta: Meta, tracking: Tracking, **published: Any
    ) -> SupervisionRules:
        """The PC's rules as published (`published`: the message's fields), first or anew."""
        published_rules = PublishedRules(**published)
        if self.supervision_rules_received():
            rules = self.supervision_rules()
            rules.replace(rules=published_rules, meta=meta)
        else:
            rules = SupervisionRules.first_received(rules=published_rules, meta=meta)
        self.store.record(rules, tracking=tracking)
        return rules

    def supervision_rules_received(self) -> bool:
        return SupervisionRules.ID in self.store.repository

    def supervision_rules(self) -> SupervisionRules:
        rules: SupervisionRules = self.store.load(
            SupervisionRules.ID, SupervisionRulesNotReceived, "no supervision rules have arrived"
        )
        return rules
