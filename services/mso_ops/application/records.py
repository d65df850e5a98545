"""Loading an aggregate of a known kind: any other id is the kind's own not-found error."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from mhg.errors import NotFound
from mhg.eventstore import ServiceApplication
from services.mso_ops.domain.errors import SiteNotFound
from services.mso_ops.domain.site import Site

A = TypeVar("A", bound=Aggregate)


def load_current(
    app: ServiceApplication,
    kind: type[A],
    aggregate_id: UUID,
    missing: type[NotFound],
    detail: str,
    expected_version: int | None,
) -> A:
    """The `kind` to update, refused if the caller holds another version (If-Match)."""
    found = app.load_as(kind, aggregate_id, missing, detail)
    app.check_version(found, expected_version)
    return found


def known_site(app: ServiceApplication, site_id: UUID) -> Site:
    """A site named in a request body: any other kind of record is not a site."""
    return app.load_as(Site, site_id, SiteNotFound, f"no site {site_id}")
