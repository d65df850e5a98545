"""The MSO Operations service: `create_app(settings)`; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI

from mhg.access_log import access_log_router
from mhg.runtime import ServiceParts
from mhg.service import build_app
from mhg.settings import MsoOpsSettings
from services.mso_ops import inbound, outbound, projections
from services.mso_ops.api import (
    affected_appointments,
    appointment_lifecycle,
    appointments,
    claims,
    corrective_actions,
    courier_runs,
    coverage_gaps,
    facility_incidents,
    fee_schedule,
    form_steps,
    forms,
    history,
    kpi_targets,
    lab_overdue,
    lab_specimens,
    msa_fees,
    performance,
    provenance,
    schedules,
    shifts,
    site_changes,
    site_downtime,
    site_lifecycle,
    sites,
    slots,
    staff,
    surveys,
    vendors,
    visit_templates,
)
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
            affected_appointments.router,
            appointments.router,
            appointment_lifecycle.router,
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
            fee_schedule.router,
            msa_fees.router,
            surveys.router,
            kpi_targets.router,
            performance.router,
            corrective_actions.router,
            access_log_router(),
            history.router,
            provenance.router,
        ],
    )
