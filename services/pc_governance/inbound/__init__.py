"""How PC Governance reacts to MSO Operations' messages.

A request becomes a pending item; a progress report lands on the corrective action it names;
a monthly performance report (or a newer revision of it) is kept for the governance meeting;
a proposed fee schedule version and each MSA fee invoice are kept for the PC to answer;
a clinical shift's coverage judgement is kept (the latest wins) for the meeting's agenda.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking

from contracts import ContractMessage, Envelope
from contracts.v1.authorization import AuthorizationRequestedV1
from contracts.v1.corrective_action import CorrectiveActionProgressReportedV1
from contracts.v1.coverage import ShiftCoverageJudgedV1
from contracts.v1.msa_fee import MsaFeeInvoiceIssuedV1, MsaFeeScheduleProposedV1
from contracts.v1.performance import PerformanceReportPublishedV1
from contracts.v1.site import SiteTimeZoneSetV1
from mhg.errors import AlreadyExists, DomainError
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
REFUSED_PROGRESS: tuple[type[DomainError], ...] = (
    CorrectiveActionNotFound,
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    ProgressByOtherParty,
)
REFUSED_REPORT: tuple[type[DomainError], ...] = (StaleReportRevision, InvalidPerformanceReport)
HELD: tuple[type[DomainError], ...] = (AlreadyExists,)


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
            ShiftCoverageJudgedV1: self.shift_coverage_judged,
            SiteTimeZoneSetV1: self.site_time_zone_set,
        }

    def __call__(self, envelope: Envelope) -> None:
        tracking = Tracking(application_name=SUBSCRIPTION, notification_id=envelope.position)
        found = message_and_handler(
            envelope, self.handlers, lambda: self.app.skip_message(tracking), "PC Governance"
        )
        if found is not None:
            message, handler = found
            handler(message, envelope, tracking)

    @contextmanager
    def _passed_over(
        self,
        refusals: tuple[type[DomainError], ...],
        envelope: Envelope,
        tracking: Tracking,
        said: str,
        *about: Any,
    ) -> Iterator[None]:
        """A message the application refuses (one of `refusals`) is logged, `said` of its
        feed position, what it is `about` and the refusal, and passed over for good."""
        try:
            yield
        except refusals as refused:
            log.warning(said, envelope.position, *about, refused.detail)
            self.app.skip_message(tracking)

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
        said = "progress report at %s on action %s refused: %s"
        with self._passed_over(REFUSED_PROGRESS, envelope, tracking, said, message.action_id):
            self.app.quality.report_corrective_action_progress(
                message.action_id,
                **copied(message, "status", "document_ref", "reported_at"),
                text=message.evidence,
                party="mso",
                expected_version=None,
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )

    def performance_report_published(
        self, message: Any, envelope: Envelope, tracking: Tracking
    ) -> None:
        """The month's report, or a newer revision of it; an older or invalid one is passed over."""
        said = "performance report at %s (%s revision %s) refused: %s"
        about = (message.month, message.revision)
        with self._passed_over(REFUSED_REPORT, envelope, tracking, said, *about):
            self.app.performance_reports.receive_performance_report(
                **copied(message, "month", "report_id", "revision", "published_at"),
                sites=[site.model_dump(mode="json") for site in message.sites],
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )

    def shift_coverage_judged(
        self, message: ShiftCoverageJudgedV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        self.app.coverage_gaps.receive_shift_coverage(
            **copied(message, "shift_id", "site_id", "day", "start", "end", "label"),
            shortfalls=[s.model_dump(mode="json") for s in message.shortfalls],
            judged_at=message.judged_at,
            meta=reaction_meta(envelope, CONSUMER),
            tracking=tracking,
        )

    def site_time_zone_set(
        self, message: SiteTimeZoneSetV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        self.app.site_zones.receive_site_zone(
            **copied(message, "site_id", "time_zone", "set_at"),
            meta=reaction_meta(envelope, CONSUMER),
            tracking=tracking,
        )

    def fee_schedule_proposed(
        self, message: MsaFeeScheduleProposedV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        with self._passed_over(HELD, envelope, tracking, "fee schedule proposal at %s: %s"):
            self.app.msa.receive_fee_schedule_proposal(
                **copied(message, "schedule_version", "effective_from", "schedule_kind"),
                **_fee_basis(message),
                proposed_at=message.proposed_at,
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )

    def msa_invoice_issued(
        self, message: MsaFeeInvoiceIssuedV1, envelope: Envelope, tracking: Tracking
    ) -> None:
        with self._passed_over(HELD, envelope, tracking, "MSA invoice at %s: %s"):
            self.app.msa.receive_msa_invoice(
                **copied(message, "invoice_id", "month", "revision", "corrects_invoice_id"),
                **copied(message, "correction_reason", "schedule_version", "schedule_kind"),
                **_fee_basis(message),
                **copied(message, "payments", "refunds", "net_collections", "fee", "issued_at"),
                lines=[line.model_dump() for line in message.lines],
                meta=reaction_meta(envelope, CONSUMER),
                tracking=tracking,
            )


def _fee_basis(message: MsaFeeScheduleProposedV1 | MsaFeeInvoiceIssuedV1) -> dict[str, Any]:
    """The fee terms and their fair market value basis, as both MSA messages carry them."""
    return {
        "terms": message.terms.model_dump(exclude_none=True),
        "fmv_basis": message.fmv_basis.model_dump(),
    }
