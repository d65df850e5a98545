"""The bookings a stop leaves to reschedule, read from the read models.

Two stops end bookings: the PC suspending or revoking a service line's authorization at
a site, and a whole-site stop (a hold by the MSO or the PC, or the site's closure). The
row of the stopped thing says when its bookings stopped (`withdrawn_at` of the line,
`stopped_at` of the site); the appointments still booked there that start at or after
that moment are the ones to move, in booking order. While the line is authorized, or
the site is not held or closed, there are none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, select

from mhg.pagination import read_page
from mhg.readstore import ReadStore
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.site import CLOSED, SUSPENDED

Rows = tuple[list[dict[str, Any]], str | None]
_NONE: Rows = ([], None)
_SITE_STOPPED = (SUSPENDED, CLOSED)


@dataclass(frozen=True)
class Window:
    """Which part of the list: a start window and a page of it."""

    cursor: str | None = None
    limit: int = 50
    start_from: datetime | None = None
    start_before: datetime | None = None


class AffectedAppointments:
    def __init__(self, application: SiteCommands, store: ReadStore) -> None:
        self.application = application
        self.store = store
        self.appointments: Table = store.metadata.tables["mso_appointments"]

    def of_service_line(self, site_id: UUID, code: str, window: Window) -> Rows:
        """Booked for the line at the site since the PC stopped it (404 for an unknown line)."""
        self.application.service_line(site_id, code)
        lines = self.store.metadata.tables["mso_service_lines"]
        stop = self._first(
            select(lines.c.status, lines.c.withdrawn_at).where(
                lines.c.site_id == site_id, lines.c.code == code
            )
        )
        if stop is None or stop.withdrawn_at is None or stop.status == "authorized":
            return _NONE
        same_line = self.appointments.c.service_line == code
        return self._booked_since(site_id, stop.withdrawn_at, window, same_line)

    def of_site(self, site_id: UUID, window: Window) -> Rows:
        """Booked at the site, any line, since it was held or closed (404 for an unknown site)."""
        self.application.site(site_id)
        sites = self.store.metadata.tables["mso_sites"]
        stop = self._first(select(sites.c.status, sites.c.stopped_at).where(sites.c.id == site_id))
        if stop is None or stop.stopped_at is None or stop.status not in _SITE_STOPPED:
            return _NONE
        return self._booked_since(site_id, stop.stopped_at, window)

    def _first(self, query: Any) -> Any:
        with self.store.reader.connect() as conn:
            return conn.execute(query).first()

    def _booked_since(
        self, site_id: UUID, stopped_at: datetime, window: Window, *more: ColumnElement[bool]
    ) -> Rows:
        table = self.appointments
        filters = [
            table.c.site_id == site_id,
            table.c.status == "booked",
            table.c.start >= stopped_at,
            *more,
        ]
        if window.start_from:
            filters.append(table.c.start >= window.start_from)
        if window.start_before:
            filters.append(table.c.start < window.start_before)
        return read_page(
            self.store.reader, table, cursor=window.cursor, limit=window.limit, filters=filters
        )
