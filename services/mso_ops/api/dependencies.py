"""Who may call what, as Annotated aliases the routers declare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from mhg.auth import Principal, Role
from mhg.web import part_of, require
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.application.accounts import AccountCommands
from services.mso_ops.application.appointments import AppointmentCommands
from services.mso_ops.application.claims import ClaimCommands
from services.mso_ops.application.clinical_policies import ClinicalPolicyRecords
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.contract_provenance import ContractProvenanceQueries
from services.mso_ops.application.corrective_actions import CorrectiveActionCommands
from services.mso_ops.application.facilities import FacilityCommands
from services.mso_ops.application.forms import FormCommands
from services.mso_ops.application.kpi_targets import KpiTargetCommands
from services.mso_ops.application.lab import LabCommands
from services.mso_ops.application.msa_fees import MsaFeeCommands
from services.mso_ops.application.patient_erasures import PatientErasureCommands
from services.mso_ops.application.pc_decisions import PcDecisionCommands
from services.mso_ops.application.pc_site_decisions import PcSiteDecisionCommands
from services.mso_ops.application.performance import PerformanceCommands
from services.mso_ops.application.provenance import ProvenanceQueries
from services.mso_ops.application.schedules import ScheduleCommands
from services.mso_ops.application.site_changes import SiteChangeCommands
from services.mso_ops.application.site_lifecycle import SiteLifecycleCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.application.slots import ShiftCoverage, SlotCommands
from services.mso_ops.application.staffing import StaffingCommands
from services.mso_ops.application.surveys import SurveyCommands
from services.mso_ops.application.vendor_contracts import VendorContractCommands
from services.mso_ops.application.visit_templates import VisitTemplateCommands


async def application(request: Request) -> MsoOpsApplication:
    """The application, as the app holds it: on the event loop (nothing to wait for)."""
    app: MsoOpsApplication = request.app.state.runtime.application
    return app


Ops = Annotated[MsoOpsApplication, Depends(application)]


async def shift_coverage(request: Request) -> ShiftCoverage:
    """Whether the clinical shifts over a slot are covered, over the app's read store."""
    return ShiftCoverage(request.app.state.runtime.store)


Coverage = Annotated[ShiftCoverage, Depends(shift_coverage)]


def capability(pick: Callable[[MsoOpsApplication], object]) -> Any:
    """A dependency on one capability of the application (`Annotated[LabCommands,
    capability(lambda app: app.lab)]`): a route that declares it is given only that part."""
    return Depends(part_of(application, pick))


Accounts = Annotated[AccountCommands, capability(lambda app: app.accounts)]
Appointments = Annotated[AppointmentCommands, capability(lambda app: app.appointments)]
Claims = Annotated[ClaimCommands, capability(lambda app: app.claims)]
ClinicalPolicies = Annotated[ClinicalPolicyRecords, capability(lambda app: app.clinical_policies)]
ClinicalStanding = Annotated[
    ClinicalStandingCommands, capability(lambda app: app.clinical_standing)
]
ContractProvenance = Annotated[
    ContractProvenanceQueries, capability(lambda app: app.contract_provenance)
]
CorrectiveActions = Annotated[
    CorrectiveActionCommands, capability(lambda app: app.corrective_actions)
]
Facilities = Annotated[FacilityCommands, capability(lambda app: app.facilities)]
Forms = Annotated[FormCommands, capability(lambda app: app.forms)]
KpiTargets = Annotated[KpiTargetCommands, capability(lambda app: app.kpi_targets)]
Lab = Annotated[LabCommands, capability(lambda app: app.lab)]
MsaFees = Annotated[MsaFeeCommands, capability(lambda app: app.msa_fees)]
PatientErasures = Annotated[PatientErasureCommands, capability(lambda app: app.patient_erasures)]
PcDecisions = Annotated[PcDecisionCommands, capability(lambda app: app.pc_decisions)]
PcSiteDecisions = Annotated[PcSiteDecisionCommands, capability(lambda app: app.pc_site_decisions)]
Performance = Annotated[PerformanceCommands, capability(lambda app: app.performance)]
Provenance = Annotated[ProvenanceQueries, capability(lambda app: app.provenance)]
Schedules = Annotated[ScheduleCommands, capability(lambda app: app.schedules)]
SiteChanges = Annotated[SiteChangeCommands, capability(lambda app: app.site_changes)]
SiteLifecycle = Annotated[SiteLifecycleCommands, capability(lambda app: app.site_lifecycle)]
Sites = Annotated[SiteCommands, capability(lambda app: app.sites)]
Slots = Annotated[SlotCommands, capability(lambda app: app.slots)]
Staffing = Annotated[StaffingCommands, capability(lambda app: app.staffing)]
Surveys = Annotated[SurveyCommands, capability(lambda app: app.surveys)]
VendorContracts = Annotated[VendorContractCommands, capability(lambda app: app.vendor_contracts)]
VisitTemplates = Annotated[VisitTemplateCommands, capability(lambda app: app.visit_templates)]

MSO_READERS = (Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING, Role.AUDITOR)

MsoAdmin = Annotated[Principal, Depends(require(Role.MSO_ADMIN))]
# The scheduling staff (admins and schedulers); with the auditor, the readers of their records.
SchedulingStaff = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER))]
SchedulingReaders = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR))
]
MsoReader = Annotated[Principal, Depends(require(*MSO_READERS))]
Booker = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.VENDOR))]
AppointmentReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR, Role.VENDOR))
]
# Lab pickups, courier runs and forms are coordinated by MSO staff; forms carry patient
# data, so reading them is for that staff and the auditor only.
OpsCoordinator = SchedulingStaff
FormReader = SchedulingReaders
# A clinical act (a form's signature, a result's release) is the PC clinician's own: they
# record it under their PC-issued identity, whose subject is their PC clinician id, and
# only while the PC holds them eligible (docs/adr/0019). No MSO role records one.
PcClinician = Annotated[
    Principal, Depends(require(Role.PHYSICIAN, Role.APP, Role.MEDICAL_DIRECTOR))
]
# Shifts are the MSO's to schedule and staff (admins and schedulers); the staff list,
# vendors and contracts are the admin's. Anyone running a site may report an incident.
ShiftScheduler = SchedulingStaff
IncidentReporter = SchedulingStaff
# Billing administration (claims, the MSA fee schedule, fee invoices): the billing office
# and admins write; the auditor reads.
BillingClerk = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_BILLING))]
BillingReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_BILLING, Role.AUDITOR))
]
# The bookings a PC suspension leaves to reschedule: for the staff who reschedule them.
ScheduleReader = SchedulingReaders
# Schedules, their exceptions, and an appointment's steps at the front desk (check-in,
# outcome, entered in error) are the MSO scheduling staff's; vendors find, hold, book
# and reschedule (Booker, AppointmentReader) at their contracted sites only.
Scheduler = SchedulingStaff
# Corrective actions the PC assigns to the MSO are worked on by any MSO staff member;
# KPI targets and the month close are the admin's (MsoAdmin), reading them every reader's.
MsoStaff = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING))
]
