"""How PC Governance reacts to MSO Operations' messages.

A request becomes a pending item; a progress report lands on the corrective action it names;
a monthly performance report (or a newer revision of it) is kept for the governance meeting;
a proposed fee schedule version and each MSA fee invoice are kept for the PC to answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Tracking

from contracts import ContractMessage, Envelope
from contracts.v1.authorization import AuthorizationRequestedV1
from contracts.v1.corrective_action import CorrectiveActionProgressReportedV1
from contracts.v1.msa_fee import MsaFeeInvoiceIssuedV1, MsaFeeScheduleProposedV1
from contracts.v1.performance import PerformanceReportPublishedV1
from mhg.errors import AlreadyExists
from mhg.event_fields import copied
from mhg.feed import message_and_handler, reaction_meta
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.domain.errors import (
    CorrectiveActionNotFound,
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    ProgressByOtherParty,
)
from services.pc_governance.domain.performance_report_errors import (
    InvalidPerformanceReport,
    StaleReportRevision,
)

log = logging.getLogger(__name__)

SUBSCRIPTION = "mso-ops.feed.v1"
CONSUMER = "pc-governance"

Handler = Callable[[Any, Envelope, Tracking], None]
REFUSED_PROGRESS = (
    CorrectiveActionNotFound,
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    ProgressByOtherParty,
)


class MsoRequestPolicy:
    """Applies each MSO message once: its effects and its feed position in one transaction."""

    def __init__(self, app: PcGovernanceApplication) -> None:
        self.app = app
        self.handlers: dict[type[ContractMessage], Handler] = {
            AuthorizationRequestedV1: self.authorization_requested,
            CorrectiveActionProgressReportedV1: self.corrective_action_progress,
            PerformanceReportPublishedV1: self.performance_report_published,
            MsaFeeScheduleProposedV1: self.fee_schedule_proposed,
            MsaFeeInvoiceIssuedV1: self.msa_invoice_issued,
        }

    def __call__(self, envelope: Envelope) -> None:
        tracking = Tracking(application_name=SUBSCRIPTION, notification_id=envelope.position)
        found = message_and_handler(
            envelope, self.handlers, lambda: self.app.skip_message(tracking), "PC Governance"
        )
        if found is not None:
            message, handler = found
            handler(message, envelope, tracking)

    def authorization_requested(self, message: Any, envelope: Envelope, tracking: Tracking) -> None:
        self.app.authorizations.receive_authorization_request(
            **copied(message, "request_id", "kind", "site_id", "site_name", "service_line"),
            readiness=message.readiness.model_dump(mode="json"),
            requested_at=message.requested_at,
            meta=reaction_meta(envelope, CONSUMER),
            tracking=tracking,
            change=message.change.model_dump(mode="json") if message.change else None,
        )

    def corrective_action_progress(
        self, message: Any, envelope: Envelope, tracking: Tracking
    ) -> None:
        """A report the action cannot take is logged and passed over, never retried forever."""
        try:
            self.app.quality.report_corrective_action_progress(
                message.action_id,
                status=message.status,
                text=message.evidence,
                document_ref=message.document_ref,
                party="mso",
                reported_at=message.reported_at,
                expected_version=None,
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )
        except REFUSED_PROGRESS as refused:
            log.warning(
                "progress report at %s on action %s refused: %s",
                envelope.position,
                message.action_id,
                refused.detail,
            )
            self.app.skip_message(tracking)

    def performance_report_published(
        self, message: Any, envelope: Envelope, tracking: Tracking
    ) -> None:
        """The month's report, or a newer revision of it; an older or invalid one is passed over."""
        try:
            self.app.performance_reports.receive_performance_report(
                **copied(message, "month", "report_id", "revision"),
                sites=[site.model_dump(mode="json") for site in message.sites],
                published_at=message.published_at,
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )
        except (StaleReportRevision, InvalidPerformanceReport) as refused:
            log.warning(
                "performance report at %s (%s revision %s) refused: %s",
                envelope.position,
                message.month,
                message.revision,
                refused.detail,
            )
            self.app.skip_message(tracking)

    def fee_schedule_proposed(
        self, message: MsaFeeScheduleProposedV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        try:
            self.app.msa.receive_fee_schedule_proposal(
                **copied(message, "schedule_version", "effective_from", "schedule_kind"),
                terms=message.terms.model_dump(exclude_none=True),
                fmv_basis=message.fmv_basis.model_dump(),
                proposed_at=message.proposed_at,
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )
        except AlreadyExists as held:
            log.warning("fee schedule proposal at %s: %s", envelope.position, held.detail)
            self.app.skip_message(tracking)

    def msa_invoice_issued(
        self, message: MsaFeeInvoiceIssuedV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        try:
            self.app.msa.receive_msa_invoice(
                **copied(message, "invoice_id", "month", "revision", "corrects_invoice_id"),
                **copied(message, "correction_reason", "schedule_version", "schedule_kind"),
                terms=message.terms.model_dump(exclude_none=True),
                fmv_basis=message.fmv_basis.model_dump(),
                **copied(message, "payments", "refunds", "net_collections", "fee", "issued_at"),
                lines=[line.model_dump() for line in message.lines],
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )
        except AlreadyExists as held:
            log.warning("MSA invoice at %s: %s", envelope.position, held.detail)
            self.app.skip_message(tracking)
