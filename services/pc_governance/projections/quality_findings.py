"""Serious chart-review findings (moderate or worse), for the governance meeting's agenda.

A finding stays an open item until a corrective action names it as its source
(`<review sample id>/<finding id>`, the reference this table keeps). Only the
finding's classification is kept here: never the chart reference or the note.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection
from mhg.projection_rows import copied
from mhg.read_models import log_position, required
from services.pc_governance.domain.quality import SERIOUS, ReviewSample


def define(metadata: MetaData) -> None:
    Table(
        "pc_serious_findings",
        metadata,
        Column("finding_id", Uuid, primary_key=True),
        log_position(),
        Column("sample_id", Uuid, nullable=False, index=True),
        Column("reference", String(80), nullable=False, unique=True),
        *required(severity=String(20), category=String(30), recorded_at=UTCDateTime),
    )


def finding_reference(sample_id: Any, finding_id: Any) -> str:
    """How a corrective action names a finding as its source."""
    return f"{sample_id}/{finding_id}"


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_serious_findings"]

    def recorded(conn: Connection, event: Any, position: int) -> None:
        if event.severity not in SERIOUS:
            return
        conn.execute(
            table.insert().values(
                finding_id=event.finding_id,
                position=position,
                sample_id=event.originator_id,
                reference=finding_reference(event.originator_id, event.finding_id),
                **copied(event, "severity", "category", "recorded_at"),
            )
        )

    return Projection(
        name="pc_serious_findings",
        tables=[table],
        handlers={ReviewSample.FindingRecorded: recorded},
    )
