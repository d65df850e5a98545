"""How MSO Operations reacts to PC Governance's messages.

A PC decision becomes an MSO fact only here, when it arrives through the PC's feed.
Each reaction is saved with the message's feed position, so it happens exactly once.
A message that cannot apply (it answers a request that has since been superseded) is
skipped durably and logged, so that one stale message never stalls the feed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Tracking

from contracts import ContractMessage, Envelope
from contracts.v1.audit_readiness import AuditReadinessPublishedV1, MonthFigure
from contracts.v1.authorization import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationReinstatedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
)
from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from contracts.v1.clinician import ClinicianEligibilityChangedV1
from contracts.v1.corrective_action import (
    CorrectiveActionAssignedV1,
    CorrectiveActionReopenedV1,
    CorrectiveActionVerifiedV1,
)
from contracts.v1.msa_fee import MsaFeeInvoiceAnsweredV1, MsaFeeScheduleAnsweredV1
from contracts.v1.readiness_standard import ReadinessStandardApprovedV1, ReadinessStandardRetiredV1
from contracts.v1.supervision import SupervisionRulesPublishedV1
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1
from mhg.errors import ConcurrentUpdate, DomainError
from mhg.event_fields import copied
from mhg.feed import message_and_handler, reaction_meta
from mhg.meta import Meta
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.application.pc_decisions import PcDecision
from services.mso_ops.domain import operating_terms
from services.mso_ops.domain.clinical_policy_record import ClinicalPolicyRecord
from services.mso_ops.domain.clinical_standing import (
    ClinicianStanding,
    Eligibility,
    SupervisionRules,
)
from services.mso_ops.domain.fee_schedule_answer import FeeScheduleAnswer
from services.mso_ops.domain.invoice import Invoice, PcAnswer
from services.mso_ops.domain.pc_audit_readiness import PcAuditReadiness
from services.mso_ops.domain.readiness_standard_record import ReceivedStandard
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.visit_template_record import VisitTemplate
from services.mso_ops.inbound.corrective_actions import CorrectiveActionReactions
from services.mso_ops.inbound.published_records import PublishedRecordReactions

log = logging.getLogger(__name__)

# Events only a PC decision arriving through the feed creates: `mhg audit
# verify-decisions` refuses any that does not rest on a message the PC signed.
PC_DECISION_EVENTS: tuple[type[Any], ...] = (
    ServiceLine.AuthorizationApproved,
    ServiceLine.AuthorizationWithdrawn,
    ServiceLine.AuthorizationReinstated,
    Site.GoLiveApproved,
    Site.GoLiveDenied,
    SiteChange.Approved,
    SiteChange.Withdrawn,
    SiteChange.Reinstated,
    *operating_terms.PC_DECISION_EVENTS,
    ClinicianStanding.Recorded,
    ClinicianStanding.Changed,
    SupervisionRules.Received,
    SupervisionRules.Replaced,
    VisitTemplate.Approved,
    VisitTemplate.VersionApproved,
    VisitTemplate.Retired,
    Invoice.PcAnswered,
    FeeScheduleAnswer.Recorded,
    ReceivedStandard.Approved,
    ReceivedStandard.VersionApproved,
    ReceivedStandard.Retired,
    ClinicalPolicyRecord.Received,
    ClinicalPolicyRecord.Replaced,
    PcAuditReadiness.Received,
    PcAuditReadiness.Revised,
)

Handler = Callable[[Any, Meta, Tracking], None]

SUBSCRIPTION = "pc-governance.feed.v1"
CONSUMER = "mso-ops"

WITHDRAWALS = {
    AuthorizationDeniedV1: "denied",
    AuthorizationSuspendedV1: "suspended",
    AuthorizationRevokedV1: "revoked",
}


class PcDecisionPolicy:
    def __init__(self, app: MsoOpsApplication, subscription: str = SUBSCRIPTION) -> None:
        """`subscription` names the feed whose positions the reactions are tracked under."""
        self.app = app
        self.subscription = subscription
        actions = CorrectiveActionReactions(app)
        records = PublishedRecordReactions(app)
        self.handlers: dict[type[ContractMessage], Handler] = {
            AuthorizationApprovedV1: self._approved,
            AuthorizationReinstatedV1: self._reinstated,
            AuthorizationDeniedV1: self._withdrawn,
            AuthorizationSuspendedV1: self._withdrawn,
            AuthorizationRevokedV1: self._withdrawn,
            ClinicianEligibilityChangedV1: self._eligibility_changed,
            SupervisionRulesPublishedV1: self._supervision_published,
            VisitTemplateApprovedV1: records.template_approved,
            VisitTemplateRetiredV1: records.template_retired,
            CorrectiveActionAssignedV1: actions.assigned,
            CorrectiveActionVerifiedV1: actions.verified,
            CorrectiveActionReopenedV1: actions.reopened,
            MsaFeeScheduleAnsweredV1: self._fee_schedule_answered,
            MsaFeeInvoiceAnsweredV1: self._invoice_answered,
            ReadinessStandardApprovedV1: records.standard_approved,
            ReadinessStandardRetiredV1: records.standard_retired,
            CodingRulesPublishedV1: records.policy_published,
            RecordsPolicyPublishedV1: records.policy_published,
            AuditReadinessPublishedV1: self._readiness_published,
        }

    def __call__(self, envelope: Envelope) -> None:
        tracking = Tracking(application_name=self.subscription, notification_id=envelope.position)
        found = message_and_handler(
            envelope, self.handlers, lambda: self.app.skip_message(tracking), "MSO Operations"
        )
        if found is None:
            return
        message, handler = found
        meta = reaction_meta(envelope, CONSUMER)
        try:
            handler(message, meta, tracking)
        except ConcurrentUpdate:
            raise  # transient: the follower fetches the message again
        except DomainError as error:
            log.warning(
                "PC message at position %s does not apply (%s): skipped",
                envelope.position,
                error.code,
            )
            self.app.skip_message(tracking)

    def _approved(self, message: AuthorizationApprovedV1, meta: Meta, tracking: Tracking) -> None:
        decision = _decision(message, meta, tracking)
        conditions = list(message.conditions)
        if message.service_line is None:  # a site's go-live or a material change
            self.app.pc_site_decisions.record_pc_site_approval(
                decision=decision, effective_date=message.effective_date, conditions=conditions
            )
            return
        self.app.pc_decisions.record_pc_approval(
            decision=decision,
            code=message.service_line,
            effective_date=message.effective_date,
            conditions=conditions,
            protocol_refs=list(message.protocol_refs),
        )

    def _reinstated(
        self, message: AuthorizationReinstatedV1, meta: Meta, tracking: Tracking
    ) -> None:
        decision = _decision(message, meta, tracking)
        if message.service_line is None:
            self.app.pc_site_decisions.record_pc_site_reinstatement(
                decision=decision, reason=message.reason
            )
            return
        self.app.pc_decisions.record_pc_reinstatement(
            decision=decision, code=message.service_line, reason=message.reason
        )

    def _withdrawn(
        self,
        message: AuthorizationDeniedV1 | AuthorizationSuspendedV1 | AuthorizationRevokedV1,
        meta: Meta,
        tracking: Tracking,
    ) -> None:
        decision = _decision(message, meta, tracking)
        outcome = WITHDRAWALS[type(message)]
        if message.service_line is None:
            self.app.pc_site_decisions.record_pc_site_withdrawal(
                decision=decision, outcome=outcome, reason=message.reason
            )
            return
        self.app.pc_decisions.record_pc_withdrawal(
            decision=decision, code=message.service_line, outcome=outcome, reason=message.reason
        )

    def _eligibility_changed(
        self, message: ClinicianEligibilityChangedV1, meta: Meta, tracking: Tracking
    ) -> None:
        eligibility = Eligibility(
            **copied(message, "name", "role", "eligible", "reason", "effective_at"),
            lapses_on=message.eligibility_lapses_on,
        )
        self.app.clinician_facts.record_clinician_eligibility(
            message.clinician_id, eligibility, meta=meta, tracking=tracking
        )

    def _supervision_published(
        self, message: SupervisionRulesPublishedV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.clinician_facts.record_supervision_rules(
            **copied(message, "max_apps_per_physician", "chart_review_share_percent"),
            assignments=[a.model_dump() for a in message.assignments],
            published_at=message.published_at,
            meta=meta,
            tracking=tracking,
        )

    def _fee_schedule_answered(
        self, message: MsaFeeScheduleAnsweredV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.msa_fees.record_fee_schedule_answer(
            **copied(message, "schedule_version", "effective_from"),
            answer=_pc_answer(message),
            meta=meta,
            tracking=tracking,
        )

    def _invoice_answered(
        self, message: MsaFeeInvoiceAnsweredV1, meta: Meta, tracking: Tracking
    ) -> None:
        self.app.msa_fees.record_invoice_answer(
            message.invoice_id,
            revision=message.revision,
            answer=_pc_answer(message),
            meta=meta,
            tracking=tracking,
        )

    def _readiness_published(
        self, message: AuditReadinessPublishedV1, meta: Meta, tracking: Tracking
    ) -> None:
        figure = MonthFigure(
            **copied(message, "as_of", "required", "current", "published_at"),
            categories=[c.model_dump() for c in message.categories],
        )
        self.app.pc_audit_readiness.record_pc_audit_readiness(
            month=message.month,
            revision=message.revision,
            figure=figure,
            meta=meta,
            tracking=tracking,
        )


def _decision(
    message: AuthorizationApprovedV1
    | AuthorizationReinstatedV1
    | AuthorizationDeniedV1
    | AuthorizationSuspendedV1
    | AuthorizationRevokedV1,
    meta: Meta,
    tracking: Tracking,
) -> PcDecision:
    """The ids every authorization decision message carries, with where it arrived."""
    return PcDecision(
        **copied(message, "site_id", "request_id", "authorization_id", "decision_id"),
        meta=meta,
        tracking=tracking,
    )


ANSWER = ("answer", "reason", "decision_id", "answered_by", "answered_by_role", "answered_at")


def _pc_answer(message: MsaFeeScheduleAnsweredV1 | MsaFeeInvoiceAnsweredV1) -> PcAnswer:
    """The PC's answer as either answer message carries it."""
    return PcAnswer(**copied(message, *ANSWER))
