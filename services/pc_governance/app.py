"""The PC Governance service: `create_app(settings)`; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI

from mhg.runtime import ServiceParts
from mhg.service import build_app
from mhg.settings import PcGovernanceSettings
from services.pc_governance import inbound, outbound, projections
from services.pc_governance.api import (
    audit_packets,
    audit_readiness,
    authorizations,
    clinicians,
    corrective_actions,
    history,
    meeting_motions,
    meetings,
    msa_fee_schedule,
    msa_invoices,
    performance_reports,
    protocol_queries,
    protocols,
    provenance,
    quality,
    supervision,
    visit_template_queries,
    visit_templates,
)
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
            protocol_queries.router,
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
            visit_template_queries.router,
            visit_templates.router,
            history.router,
            provenance.router,
        ],
    )
