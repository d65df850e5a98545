"""Read models of PC Governance, built from its event log."""

from __future__ import annotations

from sqlalchemy import MetaData

from mhg.idempotency import idempotency_table
from mhg.projection import Projection, tracking_table
from services.pc_governance.projections import authorizations


def build_metadata() -> MetaData:
    metadata = MetaData()
    tracking_table(metadata)
    idempotency_table(metadata)
    authorizations.define(metadata)
    return metadata


def projections(metadata: MetaData) -> list[Projection]:
    return [authorizations.projection(metadata)]
