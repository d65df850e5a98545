"""MSO Operations: one store, and a service per capability composed on it.

Each capability (sites, slots, appointments, lab, billing, ...) is a small class of
commands that load an aggregate, let it decide, and save its events through the one
store, so that every command writes to the same log. A capability that builds on
another (a booking needs its site and slot) is given that one; a route is given only
the capability it uses (`services.mso_ops.api.dependencies`).
"""

from __future__ import annotations

from mhg.eventstore import ServiceApplication, StoreLocation
from services.mso_ops.application.accounts import AccountCommands
from services.mso_ops.application.appointments import AppointmentCommands
from services.mso_ops.application.claims import ClaimCommands
from services.mso_ops.application.clinical_policies import ClinicalPolicyRecords
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.clinician_facts import ClinicianFactCommands
from services.mso_ops.application.contract_provenance import ContractProvenanceQueries
from services.mso_ops.application.corrective_actions import CorrectiveActionCommands
from services.mso_ops.application.expansion import ExpansionCommands
from services.mso_ops.application.facilities import FacilityCommands
from services.mso_ops.application.forms import FormCommands
from services.mso_ops.application.kpi_targets import KpiTargetCommands
from services.mso_ops.application.lab import LabCommands
from services.mso_ops.application.msa_fees import MsaFeeCommands
from services.mso_ops.application.operating_terms import OperatingTerms
from services.mso_ops.application.patient_erasures import PatientErasureCommands
from services.mso_ops.application.pc_audit_readiness import PcAuditReadinessCommands
from services.mso_ops.application.pc_decisions import PcDecisionCommands
from services.mso_ops.application.pc_site_decisions import PcSiteDecisionCommands
from services.mso_ops.application.performance import PerformanceCommands
from services.mso_ops.application.provenance import ProvenanceQueries
from services.mso_ops.application.readiness_standards import ReadinessStandardCommands
from services.mso_ops.application.schedules import ScheduleCommands
from services.mso_ops.application.site_changes import SiteChangeCommands
from services.mso_ops.application.site_lifecycle import SiteLifecycleCommands
from services.mso_ops.application.site_pro_forma import SiteProFormaCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.application.slots import SlotCommands
from services.mso_ops.application.staffing import StaffingCommands
from services.mso_ops.application.surveys import SurveyCommands
from services.mso_ops.application.vendor_contracts import VendorContractCommands
from services.mso_ops.application.visit_templates import VisitTemplateCommands


class MsoOpsApplication(ServiceApplication):
    name = "mso_ops"

    def __init__(self, location: StoreLocation) -> None:
        super().__init__(location)
        self.readiness_standards = ReadinessStandardCommands(self)
        self.sites = SiteCommands(self, self.readiness_standards)
        self.accounts = AccountCommands(self)
        self.slots = SlotCommands(self, self.sites)
        self.appointments = AppointmentCommands(self, self.sites, self.slots)
        self.patient_erasures = PatientErasureCommands(self)
        self.clinical_policies = ClinicalPolicyRecords(self)
        self.claims = ClaimCommands(self, self.sites, self.clinical_policies)
        self.clinical_standing = ClinicalStandingCommands(self)
        self.facilities = FacilityCommands(self)
        self.vendor_contracts = VendorContractCommands(self, self.facilities)
        self.provenance = ProvenanceQueries(self)
        self.contract_provenance = ContractProvenanceQueries(
            self, self.facilities, self.vendor_contracts, self.provenance
        )
        self.corrective_actions = CorrectiveActionCommands(self)
        self.forms = FormCommands(self, self.sites, self.clinical_standing)
        self.kpi_targets = KpiTargetCommands(self, self.sites)
        self.lab = LabCommands(self, self.sites, self.clinical_standing)
        self.msa_fees = MsaFeeCommands(self, self.claims)
        self.pc_audit_readiness = PcAuditReadinessCommands(self)
        self.pc_decisions = PcDecisionCommands(self, self.sites)
        self.operating_terms = OperatingTerms(self)
        self.site_changes = SiteChangeCommands(self, self.sites)
        self.pc_site_decisions = PcSiteDecisionCommands(
            self, self.sites, self.site_changes, self.operating_terms
        )
        self.performance = PerformanceCommands(self)
        self.visit_templates = VisitTemplateCommands(self)
        self.schedules = ScheduleCommands(
            self, self.sites, self.visit_templates, self.slots, self.operating_terms
        )
        self.site_lifecycle = SiteLifecycleCommands(self, self.sites)
        self.staffing = StaffingCommands(
            self, self.clinical_standing, self.visit_templates, self.operating_terms
        )
        self.clinician_facts = ClinicianFactCommands(self, self.clinical_standing, self.staffing)
        self.surveys = SurveyCommands(self, self.appointments)
        self.site_pro_forma = SiteProFormaCommands(self, self.sites)
        self.expansion = ExpansionCommands(self, self.sites)


__all__ = ["MsoOpsApplication"]
