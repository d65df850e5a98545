"""Specimens with the time of every step and their cycle times; courier runs.

The per-specimen timestamps are what the results cycle-time KPI is computed from
(collection -> result received -> result released, median and p90 per step); the
seconds of each step are kept beside them once the step is done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Uuid, select
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection, update_row
from services.mso_ops.domain import courier_run as run_status
from services.mso_ops.domain import specimen as specimen_status
from services.mso_ops.domain.courier_run import CourierRun
from services.mso_ops.domain.specimen import Specimen


def define(metadata: MetaData) -> None:
    Table(
        "mso_lab_specimens",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("service_line", String(64), nullable=False, index=True),
        Column("reference", String(64), nullable=False),
        Column("status", String(30), nullable=False, index=True),
        Column("run_id", Uuid, index=True),
        Column("collected_at", UTCDateTime, nullable=False, index=True),
        Column("logged_at", UTCDateTime, nullable=False),
        Column("put_on_run_at", UTCDateTime),
        Column("departed_at", UTCDateTime),
        Column("delivered_at", UTCDateTime),
        Column("lab", String(200)),
        Column("result_received_at", UTCDateTime),
        Column("result_released_at", UTCDateTime),
        Column("released_to", Uuid),
        Column("receipt_seconds", BigInteger),
        Column("release_seconds", BigInteger),
        Column("cycle_seconds", BigInteger),
    )
    Table(
        "mso_courier_runs",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("courier_vendor", String(200), nullable=False),
        Column("lab", String(200), nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("specimen_count", Integer, nullable=False),
        Column("planned_at", UTCDateTime, nullable=False, index=True),
        Column("departed_at", UTCDateTime),
        Column("delivered_at", UTCDateTime),
        Column("cancelled_at", UTCDateTime),
    )


def _seconds(start: Any, end: Any) -> int:
    return int((end - start).total_seconds())


def projection(metadata: MetaData) -> Projection:
    specimens = metadata.tables["mso_lab_specimens"]
    runs = metadata.tables["mso_courier_runs"]

    def specimen(conn: Connection, event: Any, **values: Any) -> None:
        update_row(conn, specimens, event, **values)

    def run(conn: Connection, event: Any, **values: Any) -> None:
        update_row(conn, runs, event, **values)

    def logged(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            specimens.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                service_line=event.service_line,
                reference=event.reference,
                status=specimen_status.AWAITING_PICKUP,
                collected_at=event.collected_at,
                logged_at=event.timestamp,
            )
        )

    def put_on_run(conn: Connection, event: Any, _position: int) -> None:
        specimen(
            conn,
            event,
            status=specimen_status.ON_RUN,
            run_id=event.run_id,
            put_on_run_at=event.timestamp,
        )

    def taken_off_run(conn: Connection, event: Any, _position: int) -> None:
        specimen(
            conn, event, status=specimen_status.AWAITING_PICKUP, run_id=None, put_on_run_at=None
        )

    def departed(conn: Connection, event: Any, _position: int) -> None:
        specimen(conn, event, status=specimen_status.IN_TRANSIT, departed_at=event.at)

    def delivered(conn: Connection, event: Any, _position: int) -> None:
        specimen(conn, event, status=specimen_status.AT_LAB, delivered_at=event.at, lab=event.lab)

    def result_received(conn: Connection, event: Any, _position: int) -> None:
        collected_at = conn.execute(
            select(specimens.c.collected_at).where(specimens.c.id == event.originator_id)
        ).scalar_one()
        specimen(
            conn,
            event,
            status=specimen_status.RESULT_RECEIVED,
            result_received_at=event.at,
            receipt_seconds=_seconds(collected_at, event.at),
        )

    def result_released(conn: Connection, event: Any, _position: int) -> None:
        row = conn.execute(
            select(specimens.c.collected_at, specimens.c.result_received_at).where(
                specimens.c.id == event.originator_id
            )
        ).one()
        specimen(
            conn,
            event,
            status=specimen_status.RESULT_RELEASED,
            result_released_at=event.at,
            released_to=event.clinician_id,
            release_seconds=_seconds(row.result_received_at, event.at),
            cycle_seconds=_seconds(row.collected_at, event.at),
        )

    def run_planned(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            runs.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                courier_vendor=event.courier_vendor,
                lab=event.lab,
                status=run_status.PLANNED,
                specimen_count=len(event.manifest),
                planned_at=event.timestamp,
            )
        )

    def run_departed(conn: Connection, event: Any, _position: int) -> None:
        run(conn, event, status=run_status.DEPARTED, departed_at=event.at)

    def run_delivered(conn: Connection, event: Any, _position: int) -> None:
        run(conn, event, status=run_status.DELIVERED, delivered_at=event.at)

    def run_cancelled(conn: Connection, event: Any, _position: int) -> None:
        run(conn, event, status=run_status.CANCELLED, cancelled_at=event.timestamp)

    return Projection(
        name="mso_lab",
        tables=[specimens, runs],
        handlers={
            Specimen.PickupLogged: logged,
            Specimen.PutOnRun: put_on_run,
            Specimen.TakenOffRun: taken_off_run,
            Specimen.Departed: departed,
            Specimen.DeliveredToLab: delivered,
            Specimen.ResultReceived: result_received,
            Specimen.ResultReleased: result_released,
            CourierRun.Planned: run_planned,
            CourierRun.Departed: run_departed,
            CourierRun.Delivered: run_delivered,
            CourierRun.Cancelled: run_cancelled,
        },
    )
