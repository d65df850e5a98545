"""Who may call what: deciding routes admit only the roles the decision-rights table names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from mhg.auth import Principal, Role
from mhg.routes import Runtime
from mhg.web import part_of, require
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.application.authorizations import AuthorizationCommands
from services.pc_governance.application.clinical_policies import ClinicalPolicyCommands
from services.pc_governance.application.clinicians import ClinicianCommands, SupervisionCommands
from services.pc_governance.application.meetings import MeetingCommands
from services.pc_governance.application.month_readiness import MonthReadinessCommands
from services.pc_governance.application.msa import MsaCommands
from services.pc_governance.application.performance_reports import PerformanceReportCommands
from services.pc_governance.application.protocols import ProtocolCommands
from services.pc_governance.application.provenance import ProvenanceQueries
from services.pc_governance.application.quality import QualityCommands
from services.pc_governance.application.visit_templates import VisitTemplateCommands
from services.pc_governance.decision_log import decision_log
from services.pc_governance.domain.authorization_basis import DecisionLog
from services.pc_governance.domain.decision_rights import (
    AUTHORIZE_SERVICE_LINE,
    CODING_RULES,
    GOVERNANCE_MEETING,
    MEDICAL_RECORDS,
    MSA_FEE_SCHEDULE,
    MSA_INVOICE_ANSWER,
    PATIENT_VOLUME,
    QUALITY_OVERSIGHT,
    deciding_roles,
)


async def application(request: Request) -> PcGovernanceApplication:
    """The application, as the app holds it: on the event loop (nothing to wait for)."""
    app: PcGovernanceApplication = request.app.state.runtime.application
    return app


Governance = Annotated[PcGovernanceApplication, Depends(application)]


def capability(pick: Callable[[PcGovernanceApplication], object]) -> Any:
    """The dependency on one capability of the application: a route is given only that."""
    return Depends(part_of(application, pick))


def deciding(decision: str) -> Any:
    """The dependency that admits the roles the decision-rights table names for `decision`."""
    return Depends(require(*(Role(r) for r in deciding_roles(decision))))


async def _decision_log(gov: Governance, rt: Runtime) -> DecisionLog:
    """On the event loop: building the log only names a table; it reads when it is asked."""
    return decision_log(gov, rt.store)


# the meetings' decision log, which a decision names its carried motion in (docs/adr/0019)
Decisions = Annotated[DecisionLog, Depends(_decision_log)]

Authorizations = Annotated[AuthorizationCommands, capability(lambda app: app.authorizations)]
ClinicalPolicies = Annotated[ClinicalPolicyCommands, capability(lambda app: app.clinical_policies)]
Clinicians = Annotated[ClinicianCommands, capability(lambda app: app.clinicians)]
Meetings = Annotated[MeetingCommands, capability(lambda app: app.meetings)]
Msa = Annotated[MsaCommands, capability(lambda app: app.msa)]
MonthReadinessCapability = Annotated[
    MonthReadinessCommands, capability(lambda app: app.month_readiness)
]
PerformanceReports = Annotated[
    PerformanceReportCommands, capability(lambda app: app.performance_reports)
]
Protocols = Annotated[ProtocolCommands, capability(lambda app: app.protocols)]
Provenance = Annotated[ProvenanceQueries, capability(lambda app: app.provenance)]
Quality = Annotated[QualityCommands, capability(lambda app: app.quality)]
Supervision = Annotated[SupervisionCommands, capability(lambda app: app.supervision)]
VisitTemplates = Annotated[VisitTemplateCommands, capability(lambda app: app.visit_templates)]

PC_READERS = (Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY, Role.AUDITOR)

PcReader = Annotated[Principal, Depends(require(*PC_READERS))]
AuthorizationDecider = Annotated[Principal, deciding(AUTHORIZE_SERVICE_LINE)]
QualityDecider = Annotated[Principal, deciding(QUALITY_OVERSIGHT)]
ChartReviewer = Annotated[
    Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.PC_QUALITY))
]
PcActionWorker = Annotated[
    Principal,
    Depends(require(Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY)),
]

# Drafting a protocol is not deciding it: PC physicians may draft; only the decision's
# roles approve, retire or review.
ProtocolDrafter = Annotated[Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.PHYSICIAN))]
ProtocolDecider = Annotated[Principal, deciding("protocols_and_standing_orders")]

# Visit templates (patient volume per clinician, clinician hours) likewise: PC physicians
# draft, the decision's roles approve and retire.
VisitTemplateDrafter = ProtocolDrafter
VisitTemplateDecider = Annotated[Principal, deciding(PATIENT_VOLUME)]

# The Medical Director chairs the governance meeting: schedules, opens, adjourns, closes it
# and approves its minutes; every PC member records attendance, moves, votes and drafts.
MeetingChair = Annotated[Principal, deciding(GOVERNANCE_MEETING)]
MeetingMember = Annotated[
    Principal,
    Depends(require(Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY)),
]

# A month's audit-readiness figure is published to the MSO by the Medical Director or PC
# quality staff (it records a figure and decides nothing).
ReadinessPublisher = Annotated[Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.PC_QUALITY))]

# The audit packet (a period's whole governance record) goes to the Medical Director,
# PC quality staff and auditors only.
AuditPacketReader = Annotated[
    Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.PC_QUALITY, Role.AUDITOR))
]

# Credentialing: registering a clinician and verifying or renewing a credential are the
# PC's decision; putting a credential on file or running the expiry sweep decides nothing
# (a sweep only records dates that have passed), so PC quality staff may do them too.
CredentialingDecider = Annotated[Principal, deciding("clinical_staffing_and_credentialing")]
CredentialKeeper = Annotated[Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.PC_QUALITY))]
SupervisionDecider = Annotated[Principal, deciding("supervision_structure")]

# The MSA's PC side: the decision rights name who countersigns a fee schedule version and
# who accepts or disputes an invoice; PC readers (and auditors) see both.
FeeScheduleDecider = Annotated[Principal, deciding(MSA_FEE_SCHEDULE)]
InvoiceDecider = Annotated[Principal, deciding(MSA_INVOICE_ANSWER)]

# Coding rules and the medical-records policy: PC physicians draft, the decision's roles
# approve and retire.
CodingRulesDecider = Annotated[Principal, deciding(CODING_RULES)]
RecordsPolicyDecider = Annotated[Principal, deciding(MEDICAL_RECORDS)]
