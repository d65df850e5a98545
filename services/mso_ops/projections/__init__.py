"""Read models of MSO Operations, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg import access_log
from mhg.idempotency import idempotency_table
from mhg.projection import Projection, tracking_table
from services.mso_ops.projections import appointments, sites


def build_metadata() -> MetaData:
    metadata = MetaData()
    tracking_table(metadata)
    idempotency_table(metadata)
    sites.define(metadata)
    appointments.define(metadata)
    access_log.define(metadata)
    return metadata


def projections(metadata: MetaData) -> list[Projection]:
    return [
        sites.projection(metadata),
        appointments.projection(metadata),
        access_log.projection(metadata),
    ]
