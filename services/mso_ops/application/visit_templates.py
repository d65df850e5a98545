"""The PC's visit templates, recorded as they arrive by feed, and which is in force."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.mso_ops.application.received_records import ReceivedRecords
from services.mso_ops.domain.template_errors import (
    VisitTemplateNotFound,
    VisitTemplateNotInForce,
    VisitTemplateNotReceived,
)
from services.mso_ops.domain.visit_template import NO_TEMPLATE, TemplateHistory, TemplateVersion
from services.mso_ops.domain.visit_template_record import TemplateRetirement, VisitTemplate


class VisitTemplateCommands(ReceivedRecords[VisitTemplate]):
    def record_template_approval(
        self, *, facts: dict[str, Any], meta: Meta, tracking: Tracking
    ) -> VisitTemplate:
        """Record one approved version, exactly once (the tracking goes with it)."""
        return self._take(
            VisitTemplate.create_id(facts["template_id"]),
            lambda: VisitTemplate.first_approved(facts=facts, meta=meta),
            lambda template: template.approve(facts=facts, meta=meta),
            tracking,
        )

    def record_template_retirement(
        self, *, template_id: UUID, meta: Meta, tracking: Tracking, **retirement: Any
    ) -> VisitTemplate:
        """The PC's retirement of a template: `retirement` is the message's other fields."""
        template = self.visit_template(template_id)
        template.retire(retirement=TemplateRetirement(**retirement), meta=meta)
        self.store.record(template, tracking=tracking)
        return template

    def template_known(self, template_id: UUID) -> bool:
        return VisitTemplate.create_id(template_id) in self.store.repository

    def visit_template(self, template_id: UUID) -> VisitTemplate:
        template: VisitTemplate = self.store.load(
            VisitTemplate.create_id(template_id),
            VisitTemplateNotFound,
            f"the PC has published no visit template {template_id}",
        )
        return template

    def template_history(self, template_id: UUID | None) -> TemplateHistory:
        """The versions of a template the MSO holds; none for a schedule without one."""
        if template_id is None or not self.template_known(template_id):
            return NO_TEMPLATE
        return self.visit_template(template_id).history()

    def received_template(self, template_id: UUID) -> TemplateHistory:
        """A template a request names: 422 on `template_id` unless the PC has sent it."""
        if not self.template_known(template_id):
            raise VisitTemplateNotReceived(
                f"the PC has published no visit template {template_id}", field="template_id"
            )
        return self.visit_template(template_id).history()

    def template_in_force(
        self, template_id: UUID, *, service_line: str, site_id: UUID, day: date
    ) -> TemplateVersion:
        """The version of a template in force for a line at a site on a day, or 409."""
        version = self.received_template(template_id).in_force_for(service_line, site_id, day)
        if version is None:
            raise VisitTemplateNotInForce(
                f"no version of visit template {template_id} is in force for {service_line} "
                f"at site {site_id} on {day}",
                day=str(day),
                template_id=str(template_id),
            )
        return version
