"""Read models of PC Governance, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg.projection import Projection
from mhg.read_models import ReadModel, metadata_of, projections_of
from services.pc_governance.projections import (
    authorizations,
    chart_review,
    clinical_policies,
    clinicians,
    coverage_gaps,
    meetings,
    msa,
    performance_reports,
    protocols,
    quality,
    quality_findings,
    readiness_standards,
    visit_templates,
)

# In the order their tables are defined.
READ_MODELS: tuple[ReadModel, ...] = (
    authorizations,
    meetings,
    protocols,
    quality,
    clinicians,
    performance_reports,
    quality_findings,
    visit_templates,
    msa,
    readiness_standards,
    clinical_policies,
    coverage_gaps,
    chart_review,
)


def build_metadata() -> MetaData:
    return metadata_of(READ_MODELS)


def projections(metadata: MetaData) -> list[Projection]:
    return projections_of(READ_MODELS, metadata)
