"""Which payload model belongs to which (type, major version)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts.base import ContractMessage
from contracts.v1 import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationReinstatedV1,
    AuthorizationRequestedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
)
from contracts.v1.audit_head import AuditHeadPublishedV1
from contracts.v1.audit_readiness import AuditReadinessPublishedV1
from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from contracts.v1.clinician import ClinicianEligibilityChangedV1
from contracts.v1.corrective_action import (
    CorrectiveActionAssignedV1,
    CorrectiveActionProgressReportedV1,
    CorrectiveActionReopenedV1,
    CorrectiveActionVerifiedV1,
)
from contracts.v1.coverage import ShiftCoverageJudgedV1
from contracts.v1.msa_fee import (
    MsaFeeInvoiceAnsweredV1,
    MsaFeeInvoiceIssuedV1,
    MsaFeeScheduleAnsweredV1,
    MsaFeeScheduleProposedV1,
)
from contracts.v1.performance import PerformanceReportPublishedV1
from contracts.v1.protocol import ProtocolVersionEffectiveV1, ProtocolVersionEndedV1
from contracts.v1.readiness_standard import (
    ReadinessStandardApprovedV1,
    ReadinessStandardRetiredV1,
)
from contracts.v1.site import SiteTimeZoneSetV1
from contracts.v1.supervision import SupervisionRulesPublishedV1
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1

if TYPE_CHECKING:
    from contracts.envelope import Envelope

MessageType = tuple[str, int]

MESSAGES: dict[MessageType, type[ContractMessage]] = {
    (model.TYPE, model.VERSION): model
    for model in (
        AuthorizationRequestedV1,
        AuthorizationApprovedV1,
        AuthorizationDeniedV1,
        AuthorizationSuspendedV1,
        AuthorizationRevokedV1,
        AuthorizationReinstatedV1,
        ProtocolVersionEffectiveV1,
        ProtocolVersionEndedV1,
        CorrectiveActionAssignedV1,
        CorrectiveActionVerifiedV1,
        CorrectiveActionReopenedV1,
        CorrectiveActionProgressReportedV1,
        ClinicianEligibilityChangedV1,
        SupervisionRulesPublishedV1,
        PerformanceReportPublishedV1,
        MsaFeeInvoiceIssuedV1,
        MsaFeeInvoiceAnsweredV1,
        MsaFeeScheduleProposedV1,
        MsaFeeScheduleAnsweredV1,
        VisitTemplateApprovedV1,
        VisitTemplateRetiredV1,
        ReadinessStandardApprovedV1,
        ReadinessStandardRetiredV1,
        AuditHeadPublishedV1,
        CodingRulesPublishedV1,
        RecordsPolicyPublishedV1,
        ShiftCoverageJudgedV1,
        AuditReadinessPublishedV1,
        SiteTimeZoneSetV1,
    )
}


class UnknownMessageError(LookupError):
    """No payload model is registered for a (type, version)."""


def message_model(type: str, version: int) -> type[ContractMessage]:
    try:
        return MESSAGES[(type, version)]
    except KeyError:
        raise UnknownMessageError(f"unknown message {type!r} version {version}") from None


def parse_message(envelope: Envelope) -> ContractMessage:
    """Validate the envelope's payload with the model registered for its type and version."""
    return message_model(envelope.type, envelope.version).model_validate(envelope.payload)
