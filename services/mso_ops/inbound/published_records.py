"""How MSO Operations takes the records the PC publishes for it to work under: visit
templates, readiness standards, coding rules and the medical-records policy.

Each is kept as the PC sent it (with the message's feed position, in one transaction),
so what the MSO judges a request or codes a claim against is the PC's own version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.persistence import Tracking

from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from contracts.v1.readiness_standard import ReadinessStandardApprovedV1, ReadinessStandardRetiredV1
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1
from mhg.event_fields import copied
from mhg.meta import Meta
from services.mso_ops.domain.clinical_policy_record import CODING_RULES, EVERYWHERE, RECORDS_POLICY

if TYPE_CHECKING:
    from services.mso_ops.application import MsoOpsApplication

STANDARD = ("standard_id", "version", "kind", "service_line")  # a standard version's subject


class PublishedRecordReactions:
    def __init__(self, app: MsoOpsApplication) -> None:
        self.app = app

    def template_approved(
        self, message: VisitTemplateApprovedV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.visit_templates.record_template_approval(
            facts=message.model_dump(),
            meta=meta,
            tracking=tracking,
        )

    def template_retired(
        self, message: VisitTemplateRetiredV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.visit_templates.record_template_retirement(
            **copied(message, "template_id", "ended_on", "reason", "decision_id", "retired_at"),
            meta=meta,
            tracking=tracking,
        )

    def standard_approved(
        self, message: ReadinessStandardApprovedV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.readiness_standards.record_standard_approval(
            facts=message.model_dump(include={*STANDARD, "items", "decision_id", "approved_at"}),
            meta=meta,
            tracking=tracking,
        )

    def policy_published(
        self,
        message: CodingRulesPublishedV1 | RecordsPolicyPublishedV1,
        meta: Meta,
        tracking: Tracking,
    ) -> None:
        if isinstance(message, CodingRulesPublishedV1):
            kind, scope = CODING_RULES, message.service_line
        else:
            kind, scope = RECORDS_POLICY, EVERYWHERE
        self.app.clinical_policies.record_published(
            kind=kind,
            scope=scope,
            document=message.model_dump(include={"document_id", "name", "versions"}),
            meta=meta,
            tracking=tracking,
        )

    def standard_retired(
        self, message: ReadinessStandardRetiredV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.readiness_standards.record_standard_retirement(
            **copied(message, *STANDARD, "reason", "decision_id", "retired_at"),
            meta=meta,
            tracking=tracking,
        )
