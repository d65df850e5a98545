"""Read models of MSO Operations, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg import access_log
from mhg.projection import Projection
from mhg.read_models import ReadModel, metadata_of, projections_of
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
READ_MODELS: tuple[ReadModel, ...] = (
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


def build_metadata() -> MetaData:
    return metadata_of(READ_MODELS)


def projections(metadata: MetaData) -> list[Projection]:
    return projections_of(READ_MODELS, metadata)
