"""Readiness standards: drafted by PC physicians, approved and retired by the Medical Director.

A decision resting on a governance meeting names a carried motion of the decision log
whose subject is this standard, as every PC decision on an item does (docs/adr/0019).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from mhg.aggregate_command import record_new, step
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.decision_subject import Subject
from services.pc_governance.domain.readiness_items import (
    ReadinessStandardExists,
    ReadinessStandardNotFound,
    StandardItem,
)
from services.pc_governance.domain.readiness_standard import ReadinessStandard


class ReadinessStandardCommands(Capability):
    def draft_readiness_standard(
        self,
        *,
        kind: str,
        service_line: str | None,
        items: tuple[StandardItem, ...],
        meta: Meta,
    ) -> ReadinessStandard:
        """The subject's standard, its first version a draft; 409 if the subject has one."""
        standard = ReadinessStandard.draft(
            kind=kind, service_line=service_line, items=items, meta=meta
        )
        subject = kind if service_line is None else f"{kind} {service_line}"
        refusal = ReadinessStandardExists(
            f"the {subject} standard exists ({standard.id}): draft its next version",
            standard_id=str(standard.id),
        )
        return record_new(self.store, standard, refusal)

    def readiness_standard(self, standard_id: UUID) -> ReadinessStandard:
        return self.store.load_as(
            ReadinessStandard,
            standard_id,
            ReadinessStandardNotFound,
            f"no readiness standard {standard_id}",
        )

    def standard_of(self, kind: str, service_line: str | None) -> ReadinessStandard:
        """The standard of a subject: 404 when the PC has drafted none."""
        return self.readiness_standard(ReadinessStandard.create_id(kind, service_line))

    draft_readiness_standard_version = step(readiness_standard, ReadinessStandard.add_draft)

    revise_readiness_standard_draft = step(readiness_standard, ReadinessStandard.revise_draft)

    def _decided_step(
        self, act: Callable[..., object], standard_id: UUID, *numbers: int, **decision: Any
    ) -> ReadinessStandard:
        """A decision on the standard (`act`), on a basis naming a carried motion about it."""
        standard = self.readiness_standard(standard_id)
        subject = Subject("readiness_standard", str(standard.id))
        return self.decide(standard, [subject], act, *numbers, **decision)

    def approve_readiness_standard_version(self, *ids: Any, **decision: Any) -> ReadinessStandard:
        """Approve version `number` of the standard: in force from now."""
        return self._decided_step(ReadinessStandard.approve, *ids, **decision)

    def retire_readiness_standard(self, *ids: Any, **decision: Any) -> ReadinessStandard:
        """Retire the standard, for `reason`: nothing of its subject is in force after."""
        return self._decided_step(ReadinessStandard.retire, *ids, **decision)
