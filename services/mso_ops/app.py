"""The MSO Operations service: `create_app(settings)`; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI

from mhg.access_log import access_log_router
from mhg.runtime import ServiceParts
from mhg.service import build_app
from mhg.settings import MsoOpsSettings
from services.mso_ops import inbound, outbound, projections
from services.mso_ops.api.accounts import routes as accounts
from services.mso_ops.api.appointments import lifecycle as appointment_lifecycle
from services.mso_ops.api.appointments import routes as appointments
from services.mso_ops.api.billing import claims, fee_schedule, msa_fees
from services.mso_ops.api.clinical_policies import releases as records_releases
from services.mso_ops.api.clinical_policies import routes as clinical_policies
from services.mso_ops.api.corrective_actions import routes as corrective_actions
from services.mso_ops.api.expansion import pipeline as expansion_pipeline
from services.mso_ops.api.expansion import pro_forma as site_pro_forma
from services.mso_ops.api.facilities import downtime as site_downtime
from services.mso_ops.api.facilities import incidents as facility_incidents
from services.mso_ops.api.facilities import vendors
from services.mso_ops.api.forms import routes as forms
from services.mso_ops.api.forms import steps as form_steps
from services.mso_ops.api.lab import courier_runs
from services.mso_ops.api.lab import overdue as lab_overdue
from services.mso_ops.api.lab import specimens as lab_specimens
from services.mso_ops.api.patients import erasures as patient_erasures
from services.mso_ops.api.performance import kpi_targets, surveys
from services.mso_ops.api.performance import routes as performance
from services.mso_ops.api.provenance import history
from services.mso_ops.api.provenance import routes as provenance
from services.mso_ops.api.readiness_standards import routes as readiness_standards
from services.mso_ops.api.scheduling import schedules, slots, visit_templates
from services.mso_ops.api.sites import affected_appointments
from services.mso_ops.api.sites import changes as site_changes
from services.mso_ops.api.sites import lifecycle as site_lifecycle
from services.mso_ops.api.sites import operating_term as site_operating_term
from services.mso_ops.api.sites import routes as sites
from services.mso_ops.api.staffing import coverage_gaps, shifts, staff
from services.mso_ops.application import MsoOpsApplication

PARTS = ServiceParts(
    service=outbound.PRODUCER,
    application=MsoOpsApplication,
    metadata=projections.build_metadata,
    projections=projections.projections,
    outbound=outbound.OUTBOUND,
    subscription=inbound.SUBSCRIPTION,
    inbound=inbound.PcDecisionPolicy,
    peer_decision_events=inbound.PC_DECISION_EVENTS,
)

DESCRIPTION = """
The non-clinical operating system of the MSO: sites, service lines, scheduling.

Clinical decisions are not made here. A service line takes bookings only while a
PC authorization for it at that site is in force, and that authorization reaches
this service only through PC Governance's contract feed.
"""


def create_app(settings: MsoOpsSettings | None = None) -> FastAPI:
    return build_app(
        title="MSO Operations",
        description=DESCRIPTION,
        parts=PARTS,
        settings=lambda: settings or MsoOpsSettings.from_environment(),
        routers=[
            sites.router,
            site_lifecycle.router,
            site_changes.router,
            site_operating_term.router,
            readiness_standards.router,
            affected_appointments.router,
            appointments.router,
            appointment_lifecycle.router,
            patient_erasures.router,
            visit_templates.router,
            schedules.router,
            slots.router,
            lab_specimens.router,
            lab_overdue.router,
            courier_runs.router,
            forms.router,
            form_steps.router,
            staff.router,
            shifts.router,
            coverage_gaps.router,
            vendors.router,
            facility_incidents.router,
            site_downtime.router,
            claims.router,
            clinical_policies.router,
            records_releases.router,
            fee_schedule.router,
            msa_fees.router,
            surveys.router,
            kpi_targets.router,
            performance.router,
            corrective_actions.router,
            site_pro_forma.router,
            expansion_pipeline.router,
            accounts.router,
            access_log_router(),
            history.router,
            provenance.router,
        ],
    )
