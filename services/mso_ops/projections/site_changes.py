"""Material changes proposed at sites, with the PC's answer to each."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equal_columns, span, start_of_day
from mhg.projection import Projection
from mhg.projection_rows import ACTOR, MOMENT, from_event, insert_on, status_steps
from mhg.read_models import aggregate_columns
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.projections.column_groups import pc_answer, row_status, site_id, updated_at


def define(metadata: MetaData) -> None:
    Table(
        "mso_site_changes",
        metadata,
        *aggregate_columns(),
        site_id(),
        Column("aspect", String(30), nullable=False, index=True),
        Column("proposed", String(2000), nullable=False),
        row_status(),
        Column("requested_at", UTCDateTime, nullable=False, index=True),
        Column("requested_by", String(200), nullable=False),
        *pc_answer(),
        updated_at(),
    )


SITE_CHANGES = Selection(
    "mso_site_changes",
    **equal_columns("site_id", "status", "aspect"),
    **span("requested", "requested_at", start_of_day),
)


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["mso_site_changes"]

    requested = insert_on(
        table,
        *("site_id", "aspect", "proposed"),
        status="requested",
        requested_at=MOMENT,
        requested_by=ACTOR,
        updated_at=MOMENT,
    )

    # The PC's answer: the status it leads to, its decision, and what else it sets.
    answered = status_steps(table, decision_id=from_event("decision_id"), updated_at=MOMENT)

    return Projection(
        name="mso_site_changes",
        tables=[table],
        handlers={
            SiteChange.Requested: requested,
            SiteChange.Approved: answered(
                "approved",
                authorization_id=from_event("authorization_id"),
                effective_date=from_event("effective_date"),
            ),
            SiteChange.Withdrawn: answered(
                from_event("outcome"), authorization_id=from_event("authorization_id")
            ),
            SiteChange.Reinstated: answered("approved"),
        },
    )
