"""The PC's clinician eligibility and supervision rules as they arrive by feed.

What a message says is applied here; it is saved, with the coverage it changes, by
`clinician_facts.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

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

    def eligibility_heard(
        self, clinician_id: UUID, eligibility: Eligibility, *, meta: Meta
    ) -> ClinicianStanding:
        """The clinician's standing with what the PC now says of them, not yet saved."""
        if self.clinician_known(clinician_id):
            standing = self.clinician_standing(clinician_id)
            standing.record_change(eligibility=eligibility, meta=meta)
        else:
            standing = ClinicianStanding.first_heard(
                clinician_id=clinician_id, eligibility=eligibility, meta=meta
            )
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

    def supervision_rules_heard(self, *, meta: Meta, **published: Any) -> SupervisionRules:
        """The PC's rules as published (`published`: the message's fields), first or anew;
        not yet saved."""
        published_rules = PublishedRules(**published)
        if self.supervision_rules_received():
            rules = self.supervision_rules()
            rules.replace(rules=published_rules, meta=meta)
        else:
            rules = SupervisionRules.first_received(rules=published_rules, meta=meta)
        return rules

    def supervision_rules_received(self) -> bool:
        return SupervisionRules.ID in self.store.repository

    def supervision_rules(self) -> SupervisionRules:
        rules: SupervisionRules = self.store.load(
            SupervisionRules.ID, SupervisionRulesNotReceived, "no supervision rules have arrived"
        )
        return rules
