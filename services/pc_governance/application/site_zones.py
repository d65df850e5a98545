"""Sites' time zones, received from the MSO's feed: the clock each site's days are read on."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.site_zone import ReportedSiteZone


class SiteZoneCommands(Capability):
    def receive_site_zone(
        self,
        *,
        site_id: UUID,
        time_zone: str | None,
        set_at: datetime,
        meta: Meta,
        tracking: Tracking,
    ) -> ReportedSiteZone:
        """The site's zone as last set, with the feed position consumed (the latest wins)."""
        record_id = ReportedSiteZone.create_id(site_id)
        held = self.recorded(ReportedSiteZone, record_id)
        if held is None:
            held = ReportedSiteZone(id=record_id, site_id=site_id, meta=meta)
        held.report(site_id=site_id, time_zone=time_zone, set_at=set_at, meta=meta)
        self.store.record(held, tracking=tracking)
        return held
