"""A clinic or campus site the MSO runs (its lifecycle past `proposed` comes with readiness)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

SITE_KINDS = ("clinic", "campus", "community")


class Site(Aggregate):
    @event("Proposed")
    def __init__(self, id: UUID, name: str, kind: str, address: str, meta: Meta) -> None:
        self.name = name
        self.kind = kind
        self.address = address
        self.status = "proposed"
