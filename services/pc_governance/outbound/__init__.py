"""The contract messages PC Governance publishes, mapped from its domain events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from contracts.v1.audit_readiness import AuditReadinessPublishedV1
from contracts.v1.authorization import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationReinstatedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
    DecisionBasis,
)
from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from contracts.v1.clinician import ClinicianEligibilityChangedV1
from contracts.v1.corrective_action import (
    CorrectiveActionAssignedV1,
    CorrectiveActionReopenedV1,
    CorrectiveActionSource,
    CorrectiveActionVerifiedV1,
)
from contracts.v1.msa_fee import MsaFeeInvoiceAnsweredV1, MsaFeeScheduleAnsweredV1
from contracts.v1.protocol import ProtocolVersionEffectiveV1, ProtocolVersionEndedV1
from contracts.v1.supervision import SupervisionAssignment, SupervisionRulesPublishedV1
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1
from mhg.event_fields import ORIGINATOR, copied, from_event, translated
from mhg.feed import Translator
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.clinical_policy import ClinicalPolicy
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.month_readiness import MonthReadiness
from services.pc_governance.domain.msa import FeeScheduleProposal, MsaInvoice
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.readiness_standard import ReadinessStandard
from services.pc_governance.domain.supervision import SupervisionStructure
from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.outbound.readiness_standards import standard_approved, standard_retired

PRODUCER = "pc-governance"


def _decision_fields(event: Any) -> dict[str, Any]:
    return {
        "authorization_id": event.originator_id,
        "request_id": event.subject["request_id"],
        "decision_id": event.decision_id,
        "site_id": event.subject["site_id"],
        "service_line": event.subject["service_line"],
        "basis": DecisionBasis.model_validate(event.basis),
        "decided_at": event.decided_at,
    }


def approved(event: Any) -> AuthorizationApprovedV1:
    return AuthorizationApprovedV1(
        conditions=event.conditions,
        protocol_refs=event.protocol_refs,
        effective_date=event.effective_date,
        **_decision_fields(event),
    )


def _withdrawal(message: type[Any]) -> Callable[[Any], Any]:
    def translate(event: Any) -> Any:
        return message(reason=event.reason, **_decision_fields(event))

    return translate


def _protocol_fields(event: Any) -> dict[str, Any]:
    """What the MSO may know of a protocol version: never its body."""
    return {"protocol_id": event.originator_id, "version": event.number, **event.subject}


def protocol_effective(event: Any) -> ProtocolVersionEffectiveV1:
    return ProtocolVersionEffectiveV1(
        effective_from=event.effective_from, **_protocol_fields(event)
    )


def protocol_ended(reason: str) -> Callable[[Any], ProtocolVersionEndedV1]:
    def translate(event: Any) -> ProtocolVersionEndedV1:
        return ProtocolVersionEndedV1(
            reason=reason,
            ended_on=event.ended_on,
            superseded_by=getattr(event, "superseded_by", None),
            **_protocol_fields(event),
        )

    return translate


def _source(source: Any) -> CorrectiveActionSource | None:
    return CorrectiveActionSource.model_validate(source) if source else None


action_assigned = translated(
    CorrectiveActionAssignedV1,
    *("title", "description", "assignee", "due_on", "assigned_at"),
    action_id=ORIGINATOR,
    source=from_event("source", _source),
)
action_verified = translated(
    CorrectiveActionVerifiedV1, "note", action_id=ORIGINATOR, verified_at=from_event("judged_at")
)
action_reopened = translated(
    CorrectiveActionReopenedV1, "note", action_id=ORIGINATOR, reopened_at=from_event("judged_at")
)
clinician_registered = translated(
    ClinicianEligibilityChangedV1,
    *("name", "role"),
    clinician_id=ORIGINATOR,
    eligible=False,
    reason="registered",
    effective_at=from_event("registered_at"),
)
"""A new clinician is announced as not eligible: status only, no credential details."""


def eligibility_changed(event: Any) -> ClinicianEligibilityChangedV1:
    return ClinicianEligibilityChangedV1(
        clinician_id=event.originator_id,
        **copied(event, "name", "role", "eligible", "reason", "effective_at"),
        eligibility_lapses_on=getattr(event, "lapses_on", None),  # none before ADR 0019
    )


def _assignments(assignments: Any) -> list[SupervisionAssignment]:
    return [SupervisionAssignment.model_validate(a) for a in assignments]


supervision_published = translated(
    SupervisionRulesPublishedV1,
    *("max_apps_per_physician", "chart_review_share_percent", "published_at"),
    assignments=from_event("assignments", _assignments),
)


def _template_version(event: Any) -> dict[str, Any]:
    terms = event.terms
    return {
        "template_id": event.originator_id,
        "version": event.number,
        "name": terms["name"],
        "service_line": terms["service_line"],
        "site_ids": terms["site_ids"],
    }


TEMPLATE_TERMS = (
    "clinician_roles",
    "visit_minutes",
    "max_patients_per_clinician_hour",
    "max_clinician_hours_per_day",
)  # a version's terms, as its message carries them


def template_approved(event: Any) -> VisitTemplateApprovedV1:
    """The new version replaces the earlier one from its day: no separate message for that."""
    terms = event.terms
    return VisitTemplateApprovedV1(
        **{name: terms[name] for name in TEMPLATE_TERMS},
        **copied(event, "effective_from", "decision_id", "approved_at"),
        basis=DecisionBasis.model_validate(event.basis),
        **_template_version(event),
    )


def template_retired(event: Any) -> VisitTemplateRetiredV1:
    return VisitTemplateRetiredV1(
        **copied(event, "reason", "ended_on", "decision_id", "retired_at"),
        **_template_version(event),
    )


def _answer_fields(event: Any) -> dict[str, Any]:
    return {
        **copied(event, "answer", "reason", "decision_id"),
        "answered_by": event.meta.actor_id,
        "answered_by_role": event.meta.actor_role,
        "answered_at": event.answered_at,
    }


def fee_schedule_answered(event: Any) -> MsaFeeScheduleAnsweredV1:
    return MsaFeeScheduleAnsweredV1(**event.subject, **_answer_fields(event))


def invoice_answered(event: Any) -> MsaFeeInvoiceAnsweredV1:
    return MsaFeeInvoiceAnsweredV1(
        invoice_id=event.originator_id, **event.subject, **_answer_fields(event)
    )


MESSAGE_OF_KIND: dict[str, type[CodingRulesPublishedV1 | RecordsPolicyPublishedV1]] = {
    "coding_rules": CodingRulesPublishedV1,
    "records_policy": RecordsPolicyPublishedV1,
}


def policy_published(decided: str) -> Callable[[Any], Any]:
    """A decision on coding rules or the records policy: the document's approved versions
    as they stand after it (the event carries them), replacing the MSO's copy."""

    def translate(event: Any) -> CodingRulesPublishedV1 | RecordsPolicyPublishedV1:
        document = event.document
        message = MESSAGE_OF_KIND[document["kind"]]
        line = {"service_line": document["service_line"]} if document["service_line"] else {}
        return message.model_validate(
            {
                "document_id": event.originator_id,
                "name": document["name"],
                **line,
                "decision_id": event.decision_id,
                "decided": decided,
                "decided_at": getattr(event, "approved_at", None) or event.retired_at,
                "versions": event.published,
            }
        )

    return translate


readiness_published = translated(
    AuditReadinessPublishedV1,
    *("month", "revision", "as_of", "required", "current", "categories", "published_at"),
)


OUTBOUND: Mapping[type[Any], Translator] = {
    Authorization.Approved: approved,
    Authorization.Denied: _withdrawal(AuthorizationDeniedV1),
    Authorization.Suspended: _withdrawal(AuthorizationSuspendedV1),
    Authorization.Revoked: _withdrawal(AuthorizationRevokedV1),
    Authorization.Reinstated: _withdrawal(AuthorizationReinstatedV1),
    Protocol.Approved: protocol_effective,
    Protocol.Reinstated: protocol_effective,
    Protocol.Superseded: protocol_ended("superseded"),
    Protocol.Retired: protocol_ended("retired"),
    CorrectiveAction.AssignedToMso: action_assigned,
    CorrectiveAction.MsoActionVerified: action_verified,
    CorrectiveAction.MsoActionReopened: action_reopened,
    Clinician.Registered: clinician_registered,
    Clinician.EligibilityChanged: eligibility_changed,
    SupervisionStructure.Published: supervision_published,
    VisitTemplate.Approved: template_approved,
    VisitTemplate.Retired: template_retired,
    FeeScheduleProposal.Answered: fee_schedule_answered,
    MsaInvoice.Answered: invoice_answered,
    ReadinessStandard.Approved: standard_approved,
    ReadinessStandard.Retired: standard_retired,
    ClinicalPolicy.Approved: policy_published("approved"),
    ClinicalPolicy.Retired: policy_published("retired"),
    MonthReadiness.Published: readiness_published,
    MonthReadiness.Republished: readiness_published,
}
