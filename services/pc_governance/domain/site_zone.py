"""A site's IANA time zone as the MSO published it: the clock a site's days are read on.

The MSO keeps each site's zone (ADR 0027) and publishes it whenever it is set, changed
or removed (`site.time-zone-set`). PC Governance keeps one record per site: the latest
message wins. A site the PC has no zone for has UTC days, as before zones.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

_NAMESPACE = uuid.UUID("5b0d2e7c-3f61-4a9e-8c24-91e6d0a7b3f5")


class ReportedSiteZone(Aggregate):
    @staticmethod
    def create_id(site_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(site_id))

    class Started(Aggregate.Created):
        site_id: UUID
        meta: Meta

    @event(Started)
    def __init__(self, id: UUID, site_id: UUID, meta: Meta) -> None:
        self.site_id = site_id
        self.time_zone: str | None = None

    class Reported(Aggregate.Event):
        """The site's zone (None: none) from `set_at` on, as the MSO published it."""

        site_id: UUID
        time_zone: str | None
        set_at: datetime
        meta: Meta

    @event(Reported)
    def report(self, site_id: UUID, time_zone: str | None, set_at: datetime, meta: Meta) -> None:
        self.time_zone = time_zone
