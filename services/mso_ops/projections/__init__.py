"""Read models of MSO Operations, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg import access_log
from mhg.idempotency import idempotency_table
from mhg.projection import Projection, tracking_table
from services.mso_ops.projections import (
    appointments,
    claims,
    corrective_actions,
    facilities,
    forms,
    kpi_facts,
    kpi_feeds,
    lab,
    msa_fees,
    performance,
    scheduling,
    site_changes,
    site_downtime,
    sites,
    staffing,
)


def build_metadata() -> MetaData:
    metadata = MetaData()
    tracking_table(metadata)
    idempotency_table(metadata)
    sites.define(metadata)
    site_changes.define(metadata)
    appointments.define(metadata)
    scheduling.define(metadata)
    lab.define(metadata)
    forms.define(metadata)
    access_log.define(metadata)
    staffing.define(metadata)
    facilities.define(metadata)
    site_downtime.define(metadata)
    kpi_facts.define(metadata)
    performance.define(metadata)
    corrective_actions.define(metadata)
    claims.define(metadata)
    msa_fees.define(metadata)
    return metadata


def projections(metadata: MetaData) -> list[Projection]:
    return [
        sites.projection(metadata),
        site_changes.projection(metadata),
        appointments.projection(metadata),
        scheduling.projection(metadata),
        lab.projection(metadata),
        forms.projection(metadata),
        access_log.projection(metadata),
        staffing.projection(metadata),
        facilities.projection(metadata),
        site_downtime.projection(metadata),
        kpi_feeds.projection(metadata),
        performance.projection(metadata),
        corrective_actions.projection(metadata),
        claims.projection(metadata),
        msa_fees.projection(metadata),
    ]
