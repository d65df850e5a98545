"""Read models of MSO Operations, built from its event log."""

from __future__ import annotations

from mhg import access_log
from mhg.read_models import ReadModels
from services.mso_ops.projections import (
    accounts,
    appointments,
    claims,
    corrective_actions,
    expansion,
    facilities,
    forms,
    kpi_feeds,
    lab,
    msa_fees,
    pc_audit_readiness,
    performance,
    scheduling,
    site_changes,
    site_downtime,
    site_pro_forma,
    sites,
    staffing,
)

# In the order their tables are defined; kpi_feeds fill the tables of kpi_facts.
READ_MODELS = ReadModels(
    sites,
    site_changes,
    appointments,
    scheduling,
    lab,
    forms,
    access_log,
    staffing,
    facilities,
    site_downtime,
    kpi_feeds,
    performance,
    corrective_actions,
    claims,
    msa_fees,
    accounts,
    expansion,
    site_pro_forma,
    pc_audit_readiness,
)

build_metadata = READ_MODELS.metadata
projections = READ_MODELS.projections
