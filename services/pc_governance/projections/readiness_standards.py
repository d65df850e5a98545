"""Readiness standards for the PC's list: subject, status, and the version in force.

A row is one standard (the site go-live's, or one service line's): its latest version
and that version's status, the version in force (none while nothing is approved, or
after a retirement) with its number of items and when it was approved. The list's
filters are `STANDARDS`; one standard and the version in force are read off the
aggregate (application/readiness_standards.py).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals
from mhg.projection import Projection
from mhg.projection_rows import from_event, in_turn, insert_on, set_on_row
from mhg.read_models import aggregate_columns
from services.pc_governance.domain.readiness_standard import ReadinessStandard
from services.pc_governance.projections.dated_documents import versioned_columns
from services.pc_governance.projections.protocols import FIRST_DRAFT, drafted, latest_retired

STANDARDS = Selection(
    "pc_readiness_standards", kind=equals(), service_line=equals(), status=equals()
)


def define(metadata: MetaData) -> None:
    Table(
        "pc_readiness_standards",
        metadata,
        *aggregate_columns(),
        Column("kind", String(20), nullable=False, index=True),
        Column("service_line", String(64), index=True),
        *versioned_columns(
            Column("version_in_force", Integer),
            Column("items_in_force", Integer),
            Column("in_force_since", UTCDateTime),
        ),
    )


def projection(metadata: MetaData) -> Projection:
    standards = metadata.tables["pc_readiness_standards"]

    approved = set_on_row(
        standards,
        status="approved",
        latest_status="approved",
        version_in_force=from_event("number"),
        items_in_force=from_event("items", len),
        in_force_since=from_event("approved_at"),
    )
    retired = in_turn(
        set_on_row(
            standards,
            status="retired",
            version_in_force=None,
            items_in_force=None,
            in_force_since=None,
        ),
        latest_retired(standards),
    )

    return Projection(
        name="pc_readiness_standards",
        tables=[standards],
        handlers={
            ReadinessStandard.Created: insert_on(
                standards, "kind", "service_line", status="draft", **FIRST_DRAFT
            ),
            ReadinessStandard.VersionDrafted: drafted(standards),
            ReadinessStandard.DraftRevised: set_on_row(
                standards, latest_version=from_event("number")
            ),
            ReadinessStandard.Approved: approved,
            ReadinessStandard.Retired: retired,
        },
    )
