"""The MSO's performance reports, one row per month: the newest revision received wins.

A row keeps the log position of the month's first report (so lists stay in the order
months arrived, and cursors stay stable) and is overwritten by each newer revision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection
from mhg.projection_rows import copied, insert_row, update_row
from mhg.read_models import aggregate_columns
from services.pc_governance.domain.performance_report import PerformanceReport, unfavourable


def define(metadata: MetaData) -> None:
    Table(
        "pc_performance_reports",
        metadata,
        *aggregate_columns(),
        Column("month", String(7), nullable=False, unique=True),
        Column("report_id", Uuid, nullable=False),
        Column("revision", Integer, nullable=False),
        Column("published_at", UTCDateTime, nullable=False),
        Column("received_at", UTCDateTime, nullable=False),
        Column("site_count", Integer, nullable=False),
        Column("kpi_count", Integer, nullable=False),
        Column("unfavourable_count", Integer, nullable=False),
        Column("unfavourable", JSON, nullable=False),
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


def _values(event: Any) -> dict[str, Any]:
    found = variances(event.sites)
    return {
        **copied(event, "report_id", "revision", "published_at"),
        "received_at": event.timestamp,
        "site_count": len(event.sites),
        "kpi_count": sum(len(site["kpis"]) for site in event.sites),
        "unfavourable_count": len(found),
        "unfavourable": found,
    }


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_performance_reports"]

    def received(conn: Connection, event: Any, position: int) -> None:
        insert_row(conn, table, event, position, month=f"{event.month:%Y-%m}", **_values(event))

    def revised(conn: Connection, event: Any, _position: int) -> None:
        update_row(conn, table, event, **_values(event))

    return Projection(
        name="pc_performance_reports",
        tables=[table],
        handlers={PerformanceReport.Received: received, PerformanceReport.Revised: revised},
    )
