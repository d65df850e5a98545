"""Appointments for lists and filters. No patient data: that is read from the aggregate."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, select

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, equals, one_of, span
from mhg.pagination import read_page
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required
from mhg.readstore import ReadStore
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.projections.column_groups import SITE_AND_LINE, row_status, site_and_line

RESCHEDULED = ("start", "minutes", "authorization_id", "decision_id")  # what a reschedule sets
Rows = tuple[list[dict[str, Any]], str | None]  # a page of rows and the next cursor

# Appointments by where, status and start; `within_sites` and `booked_by` keep a vendor's
# list to the bookings it made at its sites, `since` to those a stop left (start at or after).
APPOINTMENTS = Selection(
    "mso_appointments",
    **SITE_AND_LINE,
    status=equals(),
    **span("start", "start"),
    within_sites=one_of("site_id"),
    booked_by=equals(),
    since=at_least("start"),
)


def define(metadata: MetaData) -> None:
    Table(
        "mso_appointments",
        metadata,
        *aggregate_columns(),
        *site_and_line(),
        Column("start", UTCDateTime, nullable=False, index=True),
        Column("minutes", Integer, nullable=False),
        row_status(30),
        *required(authorization_id=Uuid, decision_id=Uuid, booked_at=UTCDateTime),
        Column("booked_by", String(300), nullable=False, index=True),
    )


def _booked_by(meta: Any) -> str:
    return f"{meta.actor_org}:{meta.actor_id}"


def projection(metadata: MetaData) -> Projection:
    """Statements built once and run with each event's values (SQLAlchemy's compiled cache)."""
    table = metadata.tables["mso_appointments"]

    booked = insert_on(
        table,
        *("site_id", "service_line", "start", "minutes", "authorization_id", "decision_id"),
        status="booked",
        booked_at=MOMENT,
        booked_by=from_event("meta", _booked_by),
    )

    return Projection(
        name="mso_appointments",
        tables=[table],
        handlers={
            Appointment.Booked: booked,
            Appointment.Cancelled: set_on_row(table, status="cancelled"),
            Appointment.Fulfilled: set_on_row(table, status="fulfilled"),
            Appointment.NoShow: set_on_row(table, status="no_show"),
            Appointment.Arrived: set_on_row(table, status="arrived"),
            Appointment.EnteredInError: set_on_row(table, status="entered_in_error"),
            Appointment.Rescheduled: set_on_row(
                table, **{column: from_event(column) for column in RESCHEDULED}
            ),
        },
    )


class Stop(NamedTuple):
    """What stopped bookings (a service line at a site, a site) as its row says: its
    status, and since when its bookings stopped (None if they never were)."""

    status: str
    since: datetime | None


def line_stop(store: ReadStore, site_id: UUID, code: str) -> Stop | None:
    """The line's status at the site and when the PC last stopped its bookings."""
    lines = store.metadata.tables["mso_service_lines"]
    return _stop(
        store,
        select(lines.c.status, lines.c.withdrawn_at).where(
            lines.c.site_id == site_id, lines.c.code == code
        ),
    )


def site_stop(store: ReadStore, site_id: UUID) -> Stop | None:
    """The site's status and since when a hold or its closure stops its bookings."""
    sites = store.metadata.tables["mso_sites"]
    return _stop(store, select(sites.c.status, sites.c.stopped_at).where(sites.c.id == site_id))


def _stop(store: ReadStore, query: Any) -> Stop | None:
    with store.reader.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else Stop(*row)


def booked_since(
    store: ReadStore, site_id: UUID, since: datetime, cursor: str | None, limit: int, **filters: Any
) -> Rows:
    """A page, in booking order, of the appointments still booked at the site that start
    at or after `since`, narrowed by the APPOINTMENTS `filters` given."""
    table = store.metadata.tables["mso_appointments"]
    given = {"site_id": site_id, "status": "booked", "since": since, **filters}
    return read_page(
        store.reader, table, cursor=cursor, limit=limit, filters=APPOINTMENTS.where(table, given)
    )
