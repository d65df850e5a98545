"""The chart-review share per APP per month: charts reviewed against what the rules ask.

An APP's month counts once the PC has recorded its chart count (`ChartVolume`): its
charts reviewed are those of its completed review samples for the month, summed over
service lines (`pc_quality_scores`); required is the supervision rules' chart-review
share of the count, rounded up; the shortfall is what is missing. The agenda's
`chart_review_shortfall` source lists each APP month with a shortfall, from two months
before the meeting's reference day on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, and_, func, select
from sqlalchemy.engine import Connection

from mhg.projection import Projection
from mhg.projection_rows import from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required_indexed
from mhg.readstore import ReadStore
from services.pc_governance.domain.chart_volume import ChartVolume, required_reviews
from services.pc_governance.domain.supervision import SupervisionStructure

LOOK_BACK = timedelta(days=62)  # months with a shortfall since two months before the meeting


def define(metadata: MetaData) -> None:
    Table(
        "pc_chart_volumes",
        metadata,
        *aggregate_columns(),
        *required_indexed(app_id=Uuid, month=String(7)),
        Column("charts", Integer, nullable=False),
    )
    Table(
        "pc_chart_review_rule",
        metadata,
        *aggregate_columns(),
        Column("share_percent", Integer, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    volumes, rule = metadata.tables["pc_chart_volumes"], metadata.tables["pc_chart_review_rule"]
    share = {"share_percent": from_event("chart_review_share_percent")}
    return Projection(
        name="pc_chart_review",
        tables=[volumes, rule],
        handlers={
            ChartVolume.Counted: insert_on(volumes, "app_id", "month", "charts"),
            ChartVolume.Recounted: set_on_row(volumes, charts=from_event("charts")),
            SupervisionStructure.Established: insert_on(rule, **share),
            SupervisionStructure.RulesSet: set_on_row(rule, **share),
        },
    )


def _measured(conn: Connection, md: MetaData, *where: Any) -> list[dict[str, Any]]:
    volumes, scores = md.tables["pc_chart_volumes"], md.tables["pc_quality_scores"]
    clinicians, rule = md.tables["pc_clinicians"], md.tables["pc_chart_review_rule"]
    share = conn.execute(select(rule.c.share_percent)).scalar()
    reviewed = (
        select(func.coalesce(func.sum(scores.c.charts_reviewed), 0))
        .where(scores.c.clinician_id == volumes.c.app_id, scores.c.period == volumes.c.month)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(volumes.c.app_id, volumes.c.month, volumes.c.charts, clinicians.c.name)
        .add_columns(reviewed.label("reviewed"))
        .select_from(volumes.outerjoin(clinicians, clinicians.c.id == volumes.c.app_id))
        .where(and_(True, *where))
        .order_by(volumes.c.month, volumes.c.position)
    )
    measured = []
    for row in rows:
        required = None if share is None else required_reviews(row.charts, share)
        measured.append(
            {
                "app_id": row.app_id,
                "app_name": row.name,
                "month": row.month,
                "charts": row.charts,
                "share_percent": share,
                "reviewed": int(row.reviewed),
                "required": required,
                "shortfall": None if required is None else max(required - row.reviewed, 0),
            }
        )
    return measured


def chart_review_shares(
    store: ReadStore, month: str | None = None, app_id: UUID | None = None
) -> list[dict[str, Any]]:
    """Each APP month with a chart count (of `month`, of `app_id`, when given), measured."""
    volumes = store.metadata.tables["pc_chart_volumes"]
    where = []
    if month is not None:
        where.append(volumes.c.month == month)
    if app_id is not None:
        where.append(volumes.c.app_id == app_id)
    with store.reader.connect() as conn:
        return _measured(conn, store.metadata, *where)


def chart_review_shortfalls(
    conn: Connection, md: MetaData, as_of: date
) -> list[tuple[str, str, str]]:
    """Agenda candidates: each APP month with a shortfall, from two months before `as_of`."""
    since = f"{as_of - LOOK_BACK:%Y-%m}"
    volumes = md.tables["pc_chart_volumes"]
    return [
        (
            "chart_review_shortfall",
            f"{m['app_id']}/{m['month']}",
            f"Chart review short for {m['app_name'] or m['app_id']} in {m['month']}: "
            f"{m['reviewed']} of {m['required']} required charts reviewed "
            f"({m['share_percent']}% of {m['charts']})",
        )
        for m in _measured(conn, md, volumes.c.month >= since)
        if m["shortfall"]
    ]
