"""Specimens with the time of every step and their cycle times; courier runs.

The per-specimen timestamps are what the results cycle-time KPI is computed from
(collection -> result received -> result released, median and p90 per step); the
seconds of each step are kept beside them once the step is done.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    and_,
    or_,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equal_columns, equals, matching, span
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, row_of, set_on_row, update_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain import courier_run as run_status
from services.mso_ops.domain import specimen as specimen_status
from services.mso_ops.domain.courier_run import CourierRun
from services.mso_ops.domain.specimen import WAITING_FOR, Specimen
from services.mso_ops.projections import column_groups as groups


def define(metadata: MetaData) -> None:
    Table(
        "mso_lab_specimens",
        metadata,
        *aggregate_columns(),
        *groups.site_and_line(),
        Column("reference", String(64), nullable=False),
        groups.row_status(30),
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
        *aggregate_columns(),
        groups.site_id(),
        *required(courier_vendor=String(200), lab=String(200)),
        groups.row_status(),
        Column("specimen_count", Integer, nullable=False),
        Column("planned_at", UTCDateTime, nullable=False, index=True),
        Column("departed_at", UTCDateTime),
        Column("delivered_at", UTCDateTime),
        Column("cancelled_at", UTCDateTime),
    )


SPECIMENS = Selection(
    "mso_lab_specimens",
    **groups.SITE_AND_LINE,
    **equal_columns("status", "run_id"),
    **span("collected", "collected_at"),
)

COURIER_RUNS = Selection(
    "mso_courier_runs", site_id=equals(), status=equals(), **span("planned", "planned_at")
)

# the read-model column each stage's clock starts from
WAITING_SINCE = {
    "pickup": "collected_at",
    "delivery": "put_on_run_at",
    "result": "delivered_at",
    "release": "result_received_at",
}


def _late(table: Table, judged: tuple[datetime, Mapping[str, int]]) -> ColumnElement[bool]:
    """Specimens waiting, as of the moment, longer than the hours of their stage, for the
    stages given: `(moment, {stage: hours})`."""
    moment, limits = judged
    return or_(
        *(
            and_(
                table.c.status.in_([s for s, waits in WAITING_FOR.items() if waits == name]),
                table.c[WAITING_SINCE[name]] < moment - timedelta(hours=hours),
            )
            for name, hours in limits.items()
        )
    )


# What is overdue between collection and release: `late` is `(moment, {stage: hours})`.
OVERDUE = Selection("mso_lab_specimens", late=matching(_late), **groups.SITE_AND_LINE)


def _seconds(start: Any, end: Any) -> int:
    return int((end - start).total_seconds())


def projection(metadata: MetaData) -> Projection:
    specimens = metadata.tables["mso_lab_specimens"]
    runs = metadata.tables["mso_courier_runs"]

    logged = insert_on(
        specimens,
        *("site_id", "service_line", "reference", "collected_at"),
        status=specimen_status.AWAITING_PICKUP,
        logged_at=MOMENT,
    )

    def result_received(conn: Connection, event: Any, _position: int) -> None:
        row = row_of(conn, specimens, event, "collected_at")
        update_row(
            conn,
            specimens,
            event,
            status=specimen_status.RESULT_RECEIVED,
            result_received_at=event.at,
            receipt_seconds=_seconds(row.collected_at, event.at),
        )

    def result_released(conn: Connection, event: Any, _position: int) -> None:
        row = row_of(conn, specimens, event, "collected_at", "result_received_at")
        update_row(
            conn,
            specimens,
            event,
            status=specimen_status.RESULT_RELEASED,
            result_released_at=event.at,
            released_to=event.clinician_id,
            release_seconds=_seconds(row.result_received_at, event.at),
            cycle_seconds=_seconds(row.collected_at, event.at),
        )

    run_planned = insert_on(
        runs,
        *("site_id", "courier_vendor", "lab"),
        status=run_status.PLANNED,
        specimen_count=from_event("manifest", len),
        planned_at=MOMENT,
    )

    return Projection(
        name="mso_lab",
        tables=[specimens, runs],
        handlers={
            Specimen.PickupLogged: logged,
            Specimen.PutOnRun: set_on_row(
                specimens,
                status=specimen_status.ON_RUN,
                run_id=from_event("run_id"),
                put_on_run_at=from_event("timestamp"),
            ),
            Specimen.TakenOffRun: set_on_row(
                specimens, status=specimen_status.AWAITING_PICKUP, run_id=None, put_on_run_at=None
            ),
            Specimen.Departed: set_on_row(
                specimens, status=specimen_status.IN_TRANSIT, departed_at=from_event("at")
            ),
            Specimen.DeliveredToLab: set_on_row(
                specimens,
                status=specimen_status.AT_LAB,
                delivered_at=from_event("at"),
                lab=from_event("lab"),
            ),
            Specimen.ResultReceived: result_received,
            Specimen.ResultReleased: result_released,
            CourierRun.Planned: run_planned,
            CourierRun.Departed: set_on_row(
                runs, status=run_status.DEPARTED, departed_at=from_event("at")
            ),
            CourierRun.Delivered: set_on_row(
                runs, status=run_status.DELIVERED, delivered_at=from_event("at")
            ),
            CourierRun.Cancelled: set_on_row(
                runs, status=run_status.CANCELLED, cancelled_at=from_event("timestamp")
            ),
        },
    )
