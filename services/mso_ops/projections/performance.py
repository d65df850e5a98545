"""Read models of performance reporting: KPI targets, post-visit surveys, closed months."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection, update_row
from services.mso_ops.domain.kpi_target import KpiTarget
from services.mso_ops.domain.performance_report import PerformanceReport
from services.mso_ops.domain.survey import PostVisitSurvey


def define(metadata: MetaData) -> None:
    Table(
        "mso_kpi_targets",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("kpi", String(64), nullable=False, index=True),
        Column("site_id", Uuid, index=True),
        Column("target", String(40), nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    Table(
        "mso_surveys",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("appointment_id", Uuid, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("service_line", String(64), nullable=False, index=True),
        Column("visit_on", Date, nullable=False, index=True),
        Column("score", Integer, nullable=False),
        Column("recorded_at", UTCDateTime, nullable=False),
    )
    Table(
        "mso_performance_reports",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("month", Date, nullable=False, unique=True),
        Column("revision", Integer, nullable=False),
        Column("report_id", Uuid, nullable=False),
        Column("site_count", Integer, nullable=False),
        Column("published_at", UTCDateTime, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    targets = metadata.tables["mso_kpi_targets"]
    surveys = metadata.tables["mso_surveys"]
    reports = metadata.tables["mso_performance_reports"]

    def target_set(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            targets.insert().values(
                id=event.originator_id,
                position=position,
                kpi=event.kpi,
                site_id=event.site_id,
                target=str(event.value),
                updated_at=event.timestamp,
            )
        )

    def target_changed(conn: Connection, event: Any, _position: int) -> None:
        update_row(conn, targets, event, target=str(event.value), updated_at=event.timestamp)

    def surveyed(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            surveys.insert().values(
                id=event.originator_id,
                position=position,
                appointment_id=event.appointment_id,
                site_id=event.site_id,
                service_line=event.service_line,
                visit_on=event.visit_on,
                score=event.score,
                recorded_at=event.timestamp,
            )
        )

    def published(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            reports.insert().values(
                id=event.originator_id,
                position=position,
                month=event.month,
                revision=event.revision,
                report_id=event.report_id,
                site_count=len(event.sites),
                published_at=event.published_at,
            )
        )

    def revised(conn: Connection, event: Any, _position: int) -> None:
        update_row(
            conn,
            reports,
            event,
            revision=event.revision,
            report_id=event.report_id,
            site_count=len(event.sites),
            published_at=event.published_at,
        )

    return Projection(
        name="mso_performance",
        tables=[targets, surveys, reports],
        handlers={
            KpiTarget.Set: target_set,
            KpiTarget.Changed: target_changed,
            PostVisitSurvey.Recorded: surveyed,
            PerformanceReport.Published: published,
            PerformanceReport.Revised: revised,
        },
    )
