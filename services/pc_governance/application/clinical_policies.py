"""Coding rules and the medical-records policy: drafted by PC physicians, approved and
retired by the roles of their decision right, each decision on a basis naming the
document (a carried motion about it, or a Medical Director's act; docs/adr/0019)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from mhg.aggregate_command import new, step
from services.pc_governance.application import clock
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.clinical_policy import ClinicalPolicy
from services.pc_governance.domain.clinical_policy_errors import ClinicalPolicyNotFound
from services.pc_governance.domain.decision_subject import Subject


class ClinicalPolicyCommands(Capability):
    draft_clinical_policy = new(ClinicalPolicy.draft, policy_id="id")

    def clinical_policy(self, policy_id: UUID) -> ClinicalPolicy:
        return self.store.load_as(
            ClinicalPolicy, policy_id, ClinicalPolicyNotFound, f"no such document {policy_id}"
        )

    def policy_of_kind(self, kind: str) -> Callable[[UUID], ClinicalPolicy]:
        """How a route of one kind reads a document: another kind's is not found there."""

        def read(policy_id: UUID) -> ClinicalPolicy:
            policy = self.clinical_policy(policy_id)
            if policy.kind != kind:
                raise ClinicalPolicyNotFound(f"no {kind} {policy_id}")
            return policy

        return read

    draft_clinical_policy_version = step(clinical_policy, ClinicalPolicy.add_draft)

    def _decided_step(
        self, act: Callable[..., object], policy_id: UUID, *numbers: int, **decision: Any
    ) -> ClinicalPolicy:
        """A decision on the document (`act`), on a basis naming a carried motion about it."""
        policy = self.clinical_policy(policy_id)
        subject = Subject(policy.kind, str(policy.id))
        return self.decide(policy, [subject], act, *numbers, today=clock.today(), **decision)

    def approve_clinical_policy_version(self, *ids: Any, **decision: Any) -> ClinicalPolicy:
        """Approve version `number` from `effective_from`; the standing one ends then."""
        return self._decided_step(ClinicalPolicy.approve, *ids, **decision)

    def retire_clinical_policy(self, *ids: Any, **decision: Any) -> ClinicalPolicy:
        """Retire the document from `ended_on`, for `reason`."""
        return self._decided_step(ClinicalPolicy.retire, *ids, **decision)
