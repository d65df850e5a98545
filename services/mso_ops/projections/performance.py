"""Read models of performance reporting: KPI targets, post-visit surveys, closed months."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, at_most, equal_columns, matching, span
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.kpi_target import KpiTarget
from services.mso_ops.domain.performance_report import PerformanceReport, month_of
from services.mso_ops.domain.survey import PostVisitSurvey
from services.mso_ops.projections.column_groups import SITE_AND_LINE, site_and_line, updated_at


def define(metadata: MetaData) -> None:
    Table(
        "mso_kpi_targets",
        metadata,
        *aggregate_columns(),
        Column("kpi", String(64), nullable=False, index=True),
        Column("site_id", Uuid, index=True),
        Column("target", String(40), nullable=False),
        updated_at(),
    )
    Table(
        "mso_surveys",
        metadata,
        *aggregate_columns(),
        Column("appointment_id", Uuid, nullable=False, unique=True),
        *site_and_line(),
        Column("visit_on", Date, nullable=False, index=True),
        *required(score=Integer, recorded_at=UTCDateTime),
    )
    Table(
        "mso_performance_reports",
        metadata,
        *aggregate_columns(),
        Column("month", Date, nullable=False, unique=True),
        *required(revision=Integer, report_id=Uuid, site_count=Integer, published_at=UTCDateTime),
    )


TARGETS = Selection(
    "mso_kpi_targets",
    **equal_columns("kpi", "site_id"),
    default_only=matching(lambda table, _only: table.c.site_id.is_(None)),
)

SURVEYS = Selection("mso_surveys", **SITE_AND_LINE, **span("visit", "visit_on"))

REPORTS = Selection(
    "mso_performance_reports",
    from_month=at_least("month", month_of),
    to_month=at_most("month", month_of),
    revised=matching(
        lambda table, revised: table.c.revision > 1 if revised else table.c.revision == 1
    ),
)


# What a month's row shows of its latest report (published or revised).
REPORT = {
    "revision": from_event("revision"),
    "report_id": from_event("report_id"),
    "site_count": from_event("sites", len),
    "published_at": from_event("published_at"),
}


def projection(metadata: MetaData) -> Projection:
    targets = metadata.tables["mso_kpi_targets"]
    surveys = metadata.tables["mso_surveys"]
    reports = metadata.tables["mso_performance_reports"]

    target = {"target": from_event("value", str), "updated_at": MOMENT}
    surveyed = insert_on(
        surveys,
        *("appointment_id", "site_id", "service_line", "visit_on", "score"),
        recorded_at=MOMENT,
    )

    return Projection(
        name="mso_performance",
        tables=[targets, surveys, reports],
        handlers={
            KpiTarget.Set: insert_on(targets, "kpi", "site_id", **target),
            KpiTarget.Changed: set_on_row(targets, **target),
            PostVisitSurvey.Recorded: surveyed,
            PerformanceReport.Published: insert_on(reports, "month", **REPORT),
            PerformanceReport.Revised: set_on_row(reports, **REPORT),
        },
    )
