"""Authorization requests and decisions, for the PC's work list and filters (AUTHORIZATIONS)."""

from __future__ import annotations

from sqlalchemy import Column, Date, MetaData, String, Table, Uuid

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, below, equal_columns, start_of_day
from mhg.projection import Projection
from mhg.projection_rows import from_event, insert_on, status_steps
from mhg.read_models import aggregate_columns
from services.pc_governance.domain.authorization import Authorization


def define(metadata: MetaData) -> None:
    Table(
        "pc_authorizations",
        metadata,
        *aggregate_columns(),
        Column("request_id", Uuid, nullable=False, unique=True),
        Column("kind", String(30), nullable=False),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("site_name", String(200), nullable=False),
        Column("service_line", String(64), index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("requested_at", UTCDateTime, nullable=False),
        Column("effective_date", Date),
        Column("last_decision_id", Uuid),
        Column("last_decided_at", UTCDateTime),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_authorizations"]

    requested = insert_on(
        table,
        *("request_id", "kind", "site_id", "site_name", "service_line", "requested_at"),
        status="pending",
    )

    # A decision moves the status; an approval also sets the date it takes effect.
    decided = status_steps(
        table, last_decision_id=from_event("decision_id"), last_decided_at=from_event("decided_at")
    )

    return Projection(
        name="pc_authorizations",
        tables=[table],
        handlers={
            Authorization.Requested: requested,
            Authorization.Approved: decided(
                "approved", effective_date=from_event("effective_date")
            ),
            Authorization.Denied: decided("denied"),
            Authorization.Suspended: decided("suspended"),
            Authorization.Revoked: decided("revoked"),
            Authorization.Reinstated: decided("approved"),
        },
    )


AUTHORIZATIONS = Selection(
    "pc_authorizations",
    **equal_columns("status", "kind", "site_id", "service_line"),
    requested_from=at_least("requested_at", start_of_day),
    requested_before=below("requested_at", start_of_day),
)
