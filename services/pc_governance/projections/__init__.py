"""Read models of PC Governance, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg.idempotency import idempotency_table
from mhg.projection import Projection, tracking_table
from services.pc_governance.projections import (
    authorizations,
    clinicians,
    meetings,
    msa,
    performance_reports,
    protocols,
    quality,
    quality_findings,
    visit_templates,
)


def build_metadata() -> MetaData:
    metadata = MetaData()
    tracking_table(metadata)
    idempotency_table(metadata)
    authorizations.define(metadata)
    meetings.define(metadata)
    protocols.define(metadata)
    quality.define(metadata)
    clinicians.define(metadata)
    performance_reports.define(metadata)
    quality_findings.define(metadata)
    visit_templates.define(metadata)
    msa.define(metadata)
    return metadata


def projections(metadata: MetaData) -> list[Projection]:
    return [
        authorizations.projection(metadata),
        meetings.projection(metadata),
        protocols.projection(metadata),
        quality.projection(metadata),
        clinicians.projection(metadata),
        performance_reports.projection(metadata),
        quality_findings.projection(metadata),
        visit_templates.projection(metadata),
        msa.projection(metadata),
    ]
