"""The MSO's performance reports, one row per month: the newest revision received wins.

A row keeps the log position of the month's first report (so lists stay in the order
months arrived, and cursors stay stable) and is overwritten by each newer revision.
REPORTS is what the report list may select.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, ColumnElement, Integer, MetaData, String, Table, Uuid

from mhg.columns import UTCDateTime
from mhg.listing import Selection, matching, through
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required
from services.pc_governance.domain.performance_report import PerformanceReport, unfavourable


def define(metadata: MetaData) -> None:
    Table(
        "pc_performance_reports",
        metadata,
        *aggregate_columns(),
        Column("month", String(7), nullable=False, unique=True),
        *required(
            report_id=Uuid,
            revision=Integer,
            published_at=UTCDateTime,
            received_at=UTCDateTime,
            site_count=Integer,
            kpi_count=Integer,
            unfavourable_count=Integer,
            unfavourable=JSON,
        ),
    )


def variances(sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The unfavourable variances of a report, as JSON-ready rows."""
    return [
        {
            "site_id": v.site_id,
            "site_name": v.site_name,
            "kpi": v.kpi,
            "service_line": v.service_line,
            "value": str(v.value),
            "target": str(v.target),
            "variance": str(v.variance),
            "direction": v.direction,
        }
        for v in unfavourable(sites)
    ]


def _kpi_count(sites: list[dict[str, Any]]) -> int:
    return sum(len(site["kpis"]) for site in sites)


def _unfavourable_count(sites: list[dict[str, Any]]) -> int:
    return len(unfavourable(sites))


def _month(month: date) -> str:
    return f"{month:%Y-%m}"


# What a month's row shows of its newest revision (received first, or revised).
REPORT = {
    "report_id": from_event("report_id"),
    "revision": from_event("revision"),
    "published_at": from_event("published_at"),
    "received_at": MOMENT,
    "site_count": from_event("sites", len),
    "kpi_count": from_event("sites", _kpi_count),
    "unfavourable_count": from_event("sites", _unfavourable_count),
    "unfavourable": from_event("sites", variances),
}


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_performance_reports"]
    return Projection(
        name="pc_performance_reports",
        tables=[table],
        handlers={
            PerformanceReport.Received: insert_on(
                table, month=from_event("month", _month), **REPORT
            ),
            PerformanceReport.Revised: set_on_row(table, **REPORT),
        },
    )


def _with_unfavourable(table: Table, wanted: bool) -> ColumnElement[bool]:
    some = table.c.unfavourable_count > 0
    return some if wanted else ~some


REPORTS = Selection(
    "pc_performance_reports",
    **through("month", "month"),
    with_unfavourable=matching(_with_unfavourable),
)
