"""Sites and the service lines proposed at them, up to the request for PC authorization.

The site's own lifecycle is in site_lifecycle.py, its material changes in site_changes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.readiness_standards import ReadinessStandardCommands
from services.mso_ops.application.records import known_site
from services.mso_ops.domain.errors import (
    ServiceLineAlreadyProposed,
    ServiceLineNotFound,
    SiteClosed,
)
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import CLOSED, Site


@dataclass(eq=False)
class SiteCommands:
    store: ServiceApplication
    standards: ReadinessStandardCommands  # the PC's readiness standards in force

    def propose_site(
        self,
        *,
        site_id: UUID,
        name: str,
        kind: str,
        address: str,
        pro_forma: dict[str, Any] | None = None,
        time_zone: str | None = None,
        meta: Meta,
    ) -> Site:
        """A proposal may carry its pro forma and time zone; recorded in the same save."""
        site = self.proposed_site(
            site_id=site_id, name=name, kind=kind, address=address, pro_forma=pro_forma, meta=meta
        )
        if time_zone is not None:
            site.set_time_zone(time_zone, meta)
        self.store.record(site)
        return site

    @staticmethod
    def proposed_site(
        *,
        site_id: UUID,
        name: str,
        kind: str,
        address: str,
        pro_forma: dict[str, Any] | None,
        meta: Meta,
    ) -> Site:
        """The proposal, not yet saved (a converted prospect saves it with its conversion)."""
        figures = ProForma.of(**pro_forma) if pro_forma is not None else None
        site = Site(id=site_id, name=name, kind=kind, address=address, meta=meta)
        if figures is not None:
            site.set_pro_forma(figures, meta)
        return site

    def site(self, site_id: UUID) -> Site:
        """The site; any other kind of record's id is `site-not-found` too."""
        return known_site(self.store, site_id)

    site_exists = is_recorded

    def propose_service_line(self, *, site_id: UUID, code: str, meta: Meta) -> ServiceLine:
        site = self.site(site_id)
        if site.status == CLOSED:
            raise SiteClosed(f"{site.name} is closed")
        if ServiceLine.create_id(site_id, code) in self.store.repository:
            raise ServiceLineAlreadyProposed(f"{code} is already proposed at {site.name}")
        line = ServiceLine(site_id=site_id, site_name=site.name, code=code, meta=meta)
        self.store.record(line)
        return line

    def service_line(self, site_id: UUID, code: str) -> ServiceLine:
        try:
            line: ServiceLine = self.store.repository.get(ServiceLine.create_id(site_id, code))
        except AggregateNotFoundError:
            self.site(site_id)
            raise ServiceLineNotFound(f"{code} is not proposed at site {site_id}") from None
        return line

    def request_authorization(
        self,
        *,
        site_id: UUID,
        code: str,
        readiness: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
    ) -> ServiceLine:
        return self.store.change(
            self.service_line(site_id, code),
            expected_version,
            lambda line: line.request_authorization(
                readiness, meta, self.standards.service_line_standard(code)
            ),
        )
