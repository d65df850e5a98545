"""The PC Governance service: `create_app(settings)`; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI

from mhg.runtime import ServiceParts
from mhg.service import build_app
from mhg.settings import PcGovernanceSettings
from services.pc_governance import inbound, outbound, projections
from services.pc_governance.api.audit import packets as audit_packets
from services.pc_governance.api.audit import readiness as audit_readiness
from services.pc_governance.api.authorizations import routes as authorizations
from services.pc_governance.api.clinical_policies import routes as clinical_policies
from services.pc_governance.api.clinicians import chart_review, supervision
from services.pc_governance.api.clinicians import routes as clinicians
from services.pc_governance.api.meetings import motions as meeting_motions
from services.pc_governance.api.meetings import routes as meetings
from services.pc_governance.api.msa import fee_schedule as msa_fee_schedule
from services.pc_governance.api.msa import invoices as msa_invoices
from services.pc_governance.api.performance_reports import routes as performance_reports
from services.pc_governance.api.protocols import read_routes as protocol_reads
from services.pc_governance.api.protocols import routes as protocols
from services.pc_governance.api.provenance import history
from services.pc_governance.api.provenance import routes as provenance
from services.pc_governance.api.quality import corrective_actions
from services.pc_governance.api.quality import routes as quality
from services.pc_governance.api.readiness_standards import routes as readiness_standards
from services.pc_governance.api.visit_templates import read_routes as visit_template_reads
from services.pc_governance.api.visit_templates import routes as visit_templates
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.credential_lapses import CredentialLapses

PARTS = ServiceParts(
    service=outbound.PRODUCER,
    application=PcGovernanceApplication,
    metadata=projections.build_metadata,
    projections=projections.projections,
    outbound=outbound.OUTBOUND,
    subscription=inbound.SUBSCRIPTION,
    inbound=inbound.MsoRequestPolicy,
    chores=CredentialLapses,
)

DESCRIPTION = """
The physician side of the platform: every clinical decision is made and kept here.

Requests from the MSO arrive through its contract feed; decisions are taken only
by the PC roles the decision-rights table names, and are published on this
service's contract feed.
"""


def create_app(settings: PcGovernanceSettings | None = None) -> FastAPI:
    return build_app(
        title="PC Governance",
        description=DESCRIPTION,
        parts=PARTS,
        settings=lambda: settings or PcGovernanceSettings.from_environment(),
        routers=[
            authorizations.router,
            protocol_reads.router,
            protocols.router,
            quality.router,
            corrective_actions.router,
            meetings.router,
            meeting_motions.router,
            performance_reports.router,
            msa_fee_schedule.router,
            msa_invoices.router,
            audit_packets.router,
            audit_readiness.router,
            clinicians.router,
            supervision.router,
            chart_review.router,
            visit_template_reads.router,
            visit_templates.router,
            readiness_standards.router,
            clinical_policies.router,
            history.router,
            provenance.router,
        ],
    )
