"""PC Governance: where every clinical decision of the platform is made and kept.

One store, and a service per capability composed on it (authorizations, protocols,
clinicians and supervision, quality, meetings, the MSA, ...): each command loads an
aggregate, lets it decide, and saves through the one store, so that every decision is
in the same log. A route is given only the capability it uses
(`services.pc_governance.api.dependencies`).
"""

from __future__ import annotations

from mhg.eventstore import ServiceApplication, StoreLocation
from services.pc_governance.application.authorizations import AuthorizationCommands
from services.pc_governance.application.chart_review import ChartReviewCommands
from services.pc_governance.application.clinical_policies import ClinicalPolicyCommands
from services.pc_governance.application.clinicians import ClinicianCommands, SupervisionCommands
from services.pc_governance.application.coverage_gaps import CoverageGapCommands
from services.pc_governance.application.meetings import MeetingCommands
from services.pc_governance.application.month_readiness import MonthReadinessCommands
from services.pc_governance.application.msa import MsaCommands
from services.pc_governance.application.performance_reports import PerformanceReportCommands
from services.pc_governance.application.protocols import ProtocolCommands
from services.pc_governance.application.provenance import ProvenanceQueries
from services.pc_governance.application.quality import QualityCommands
from services.pc_governance.application.readiness_standards import ReadinessStandardCommands
from services.pc_governance.application.site_zones import SiteZoneCommands
from services.pc_governance.application.visit_templates import VisitTemplateCommands


class PcGovernanceApplication(ServiceApplication):
    name = "pc_governance"

    def __init__(self, location: StoreLocation) -> None:
        super().__init__(location)
        self.authorizations = AuthorizationCommands(self)
        self.clinical_policies = ClinicalPolicyCommands(self)
        self.clinicians = ClinicianCommands(self)
        self.coverage_gaps = CoverageGapCommands(self)
        self.chart_review = ChartReviewCommands(self, self.clinicians)
        self.meetings = MeetingCommands(self)
        self.month_readiness = MonthReadinessCommands(self)
        self.msa = MsaCommands(self)
        self.performance_reports = PerformanceReportCommands(self)
        self.protocols = ProtocolCommands(self)
        self.provenance = ProvenanceQueries(self)
        self.quality = QualityCommands(self)
        self.readiness_standards = ReadinessStandardCommands(self)
        self.site_zones = SiteZoneCommands(self)
        self.supervision = SupervisionCommands(self, self.clinicians)
        self.visit_templates = VisitTemplateCommands(self)


__all__ = ["PcGovernanceApplication"]
