"""PC Governance: where every clinical decision of the platform is made and kept.

One eventsourcing Application, composed of a command set per capability (each a
module here), so that every command loads, lets an aggregate decide, and saves in
the same store and the same log.
"""

from __future__ import annotations

from services.pc_governance.application.authorizations import AuthorizationCommands
from services.pc_governance.application.clinicians import SupervisionCommands
from services.pc_governance.application.meetings import MeetingCommands
from services.pc_governance.application.msa import MsaCommands
from services.pc_governance.application.performance_reports import PerformanceReportCommands
from services.pc_governance.application.protocols import ProtocolCommands
from services.pc_governance.application.provenance import ProvenanceQueries
from services.pc_governance.application.quality import QualityCommands
from services.pc_governance.application.visit_templates import VisitTemplateCommands


class PcGovernanceApplication(
    ProvenanceQueries,
    AuthorizationCommands,
    ProtocolCommands,
    VisitTemplateCommands,
    QualityCommands,
    MeetingCommands,
    PerformanceReportCommands,
    MsaCommands,
    SupervisionCommands,  # with the clinician commands it builds on
):
    name = "pc_governance"


__all__ = ["PcGovernanceApplication"]
