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
from uuid import UUID

from mhg.readstore import ReadStore
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.site import CLOSED, SUSPENDED
from services.mso_ops.projections import appointments
from services.mso_ops.projections.appointments import Rows

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

    def of_service_line(self, site_id: UUID, code: str, window: Window) -> Rows:
        """Booked for the line at the site since the PC stopped it (404 for an unknown line)."""
        self.application.service_line(site_id, code)
        stop = appointments.line_stop(self.store, site_id, code)
        if stop is None or stop.since is None or stop.status == "authorized":
            return _NONE
        return self._booked_since(site_id, stop.since, window, service_line=code)

    def of_site(self, site_id: UUID, window: Window) -> Rows:
        """Booked at the site, any line, since it was held or closed (404 for an unknown site)."""
        self.application.site(site_id)
        stop = appointments.site_stop(self.store, site_id)
        if stop is None or stop.since is None or stop.status not in _SITE_STOPPED:
            return _NONE
        return self._booked_since(site_id, stop.since, window)

    def _booked_since(
        self, site_id: UUID, stopped_at: datetime, window: Window, **filters: str
    ) -> Rows:
        return appointments.booked_since(
            self.store,
            site_id,
            stopped_at,
            window.cursor,
            window.limit,
            start_from=window.start_from,
            start_before=window.start_before,
            **filters,
        )
