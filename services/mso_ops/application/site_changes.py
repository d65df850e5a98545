"""Material operational changes at a site: proposed here, in force only on PC approval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.site_errors import SiteChangeNotFound


@dataclass(eq=False)
class SiteChangeCommands:
    store: ServiceApplication
    sites: SiteCommands

    def request_site_change(
        self,
        *,
        change_id: UUID,
        site_id: UUID,
        meta: Meta,
        **request: Any,
    ) -> SiteChange:
        """Record the change and publish it to the PC as a material-change request
        (`request`: its terms, as `SiteChange.request` names them); a change of hours or
        staffing model may carry its structured term (domain/operating_term.py)."""
        change = SiteChange.request(
            request_id=change_id, site=self.sites.site(site_id), meta=meta, **request
        )
        self.store.record(change)
        return change

    def site_change(self, site_id: UUID, change_id: UUID) -> SiteChange:
        self.sites.site(site_id)
        detail = f"no change {change_id} at site {site_id}"
        change = self.store.load(change_id, SiteChangeNotFound, detail)
        if not isinstance(change, SiteChange) or change.site_id != site_id:
            raise SiteChangeNotFound(detail)
        return change

    def site_change_for(self, request_id: UUID) -> SiteChange | None:
        """The change a PC decision answers, if the request was a material change."""
        try:
            aggregate: object = self.store.repository.get(request_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, SiteChange) else None
