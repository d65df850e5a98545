"""Read models of PC Governance, built from its event log."""

from __future__ import annotations

from mhg.read_models import ReadModels
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
    site_zones,
    visit_templates,
)

# In the order their tables are defined.
READ_MODELS = ReadModels(
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
    site_zones,
)

build_metadata = READ_MODELS.metadata
projections = READ_MODELS.projections
