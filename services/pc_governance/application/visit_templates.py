"""Visit templates: drafted by PC physicians, approved and retired by the Medical Director.

A decision resting on a governance meeting names a carried motion of the decision log
whose subject is this template, as every PC decision on an item does (docs/adr/0019).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from mhg.aggregate_command import new, step
from services.pc_governance.application import clock
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.decision_subject import Subject
from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.domain.visit_template_errors import VisitTemplateNotFound


class VisitTemplateCommands(Capability):
    draft_visit_template = new(VisitTemplate.draft, template_id="id")

    def visit_template(self, template_id: UUID) -> VisitTemplate:
        return self.store.load_as(
            VisitTemplate, template_id, VisitTemplateNotFound, f"no visit template {template_id}"
        )

    draft_visit_template_version = step(visit_template, VisitTemplate.add_draft)

    revise_visit_template_draft = step(visit_template, VisitTemplate.revise_draft)

    def _decided_step(
        self, act: Callable[..., object], template_id: UUID, *numbers: int, **decision: Any
    ) -> VisitTemplate:
        """A decision on the template (`act`), on a basis naming a carried motion about it."""
        template = self.visit_template(template_id)
        subject = Subject("visit_template", str(template.id))
        return self.decide(template, [subject], act, *numbers, today=clock.today(), **decision)

    def approve_visit_template_version(self, *ids: Any, **decision: Any) -> VisitTemplate:
        """Approve version `number` of the template from `effective_from`."""
        return self._decided_step(VisitTemplate.approve, *ids, **decision)

    def retire_visit_template(self, *ids: Any, **decision: Any) -> VisitTemplate:
        """Retire the template from `ended_on`, for `reason`."""
        return self._decided_step(VisitTemplate.retire, *ids, **decision)
