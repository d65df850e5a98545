"""MSO Operations: commands load an aggregate, let it decide, and save its events.

One eventsourcing Application composed of a command set per capability (a module
each), so that every command saves to the same store and the same log.
"""

from __future__ import annotations

from services.mso_ops.application.appointments import AppointmentCommands
from services.mso_ops.application.contract_provenance import ContractProvenanceQueries
from services.mso_ops.application.corrective_actions import CorrectiveActionCommands
from services.mso_ops.application.forms import FormCommands
from services.mso_ops.application.kpi_targets import KpiTargetCommands
from services.mso_ops.application.lab import LabCommands
from services.mso_ops.application.msa_fees import MsaFeeCommands
from services.mso_ops.application.pc_decisions import PcDecisionCommands
from services.mso_ops.application.pc_site_decisions import PcSiteDecisionCommands
from services.mso_ops.application.performance import PerformanceCommands
from services.mso_ops.application.schedules import ScheduleCommands
from services.mso_ops.application.site_lifecycle import SiteLifecycleCommands
from services.mso_ops.application.staffing import StaffingCommands
from services.mso_ops.application.surveys import SurveyCommands
from services.mso_ops.application.vendor_contracts import VendorContractCommands


class MsoOpsApplication(
    ContractProvenanceQueries,  # with the provenance of bookings, lines and sites
    SurveyCommands,  # post-visit surveys build on appointments
    AppointmentCommands,
    ScheduleCommands,  # with the slot commands it shares with appointments
    PcDecisionCommands,
    SiteLifecycleCommands,
    PcSiteDecisionCommands,  # with the site-change commands it builds on
    LabCommands,
    FormCommands,
    StaffingCommands,  # with the PC's clinician eligibility and supervision rules
    VendorContractCommands,  # with the vendor, incident and downtime commands
    KpiTargetCommands,
    PerformanceCommands,
    CorrectiveActionCommands,
    MsaFeeCommands,  # with the claim commands it reads net collections from
):
    name = "mso_ops"


__all__ = ["MsoOpsApplication"]
