"""Readiness standards for the PC's list: subject, status, and the version in force.

A row is one standard (the site go-live's, or one service line's): its latest version
and that version's status, the version in force (none while nothing is approved, or
after a retirement) with its number of items and when it was approved. The list's
filters are `STANDARDS`; one standard and the version in force are read off the
aggregate (application/readiness_standards.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals
from mhg.projection import Projection
from mhg.projection_rows import from_event, insert_row, set_on_row, update_row
from mhg.read_models import aggregate_columns
from services.pc_governance.domain.readiness_standard import ReadinessStandard
from services.pc_governance.projections.protocols import drafted, first_draft, retire_latest

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
        Column("status", String(20), nullable=False, index=True),
        Column("latest_version", Integer, nullable=False),
        Column("latest_status", String(20), nullable=False),
        Column("version_in_force", Integer),
        Column("items_in_force", Integer),
        Column("in_force_since", UTCDateTime),
        Column("created_at", UTCDateTime, nullable=False),
        Column("created_by", String(200), nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    standards = metadata.tables["pc_readiness_standards"]

    def created(conn: Connection, event: Any, position: int) -> None:
        insert_row(
            conn,
            standards,
            event,
            position,
            kind=event.kind,
            service_line=event.service_line,
            status="draft",
            **first_draft(event),
        )

    def approved(conn: Connection, event: Any, _position: int) -> None:
        update_row(
            conn,
            standards,
            event,
            status="approved",
            latest_status="approved",
            version_in_force=event.number,
            items_in_force=len(event.items),
            in_force_since=event.approved_at,
        )

    def retired(conn: Connection, event: Any, _position: int) -> None:
        update_row(
            conn,
            standards,
            event,
            status="retired",
            version_in_force=None,
            items_in_force=None,
            in_force_since=None,
        )
        retire_latest(conn, standards, event)

    return Projection(
        name="pc_readiness_standards",
        tables=[standards],
        handlers={
            ReadinessStandard.Created: created,
            ReadinessStandard.VersionDrafted: drafted(standards),
            ReadinessStandard.DraftRevised: set_on_row(
                standards, latest_version=from_event("number")
            ),
            ReadinessStandard.Approved: approved,
            ReadinessStandard.Retired: retired,
        },
    )
