"""A site's way from proposal to live and on: readiness, go-live request, opening, holds.

The go-live itself is the PC's decision; it reaches the site in pc_site_decisions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from mhg.aggregate_command import step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.site import Site


@dataclass(eq=False)
class SiteLifecycleCommands:
    store: ServiceApplication
    sites: SiteCommands

    def change_site(
        self, site_id: UUID, act: Callable[[Site], Any], *, expected_version: int | None
    ) -> Site:
        """Load, check the version the caller holds, let the site decide, save."""
        return self.store.change(self.sites.site(site_id), expected_version, act)

    def site(self, site_id: UUID) -> Site:
        return self.sites.site(site_id)

    start_site_readiness = step(site, Site.start_readiness)
    record_checklist_evidence = step(site, Site.record_evidence)

    def set_site_pro_forma(
        self,
        site_id: UUID,
        *,
        pro_forma: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
    ) -> Site:
        figures = ProForma.of(**pro_forma)
        return self.change_site(
            site_id, lambda s: s.set_pro_forma(figures, meta), expected_version=expected_version
        )

    request_site_go_live = step(site, Site.request_go_live)
    """Publish the go-live request to the PC, with the checklist and the pro forma."""

    def open_site(self, site_id: UUID, *, expected_version: int | None, meta: Meta) -> Site:
        """Go live: only once the PC's approval has arrived, and from its effective date."""
        today = datetime.now(UTC).date()
        return self.change_site(
            site_id, lambda s: s.go_live(on=today, meta=meta), expected_version=expected_version
        )

    suspend_site = step(site, Site.suspend)
    resume_site = step(site, Site.resume)
    close_site = step(site, Site.close)
