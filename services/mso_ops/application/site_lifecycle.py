"""A site's way from proposal to live and on: readiness, go-live request, opening, holds.

The go-live itself is the PC's decision; it reaches the site in pc_site_decisions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mhg.aggregate_command import step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
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

    def record_checklist_evidence(
        self, site_id: UUID, *, expected_version: int | None, meta: Meta, **evidence: Any
    ) -> Site:
        """Evidence for an item of the go-live readiness standard in force."""
        standard = self.sites.standards.site_go_live_standard()
        return self.change_site(
            site_id,
            lambda s: s.record_evidence(standard=standard, meta=meta, **evidence),
            expected_version=expected_version,
        )

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

    def request_site_go_live(
        self, site_id: UUID, *, summary: str, expected_version: int | None, meta: Meta
    ) -> Site:
        """Publish the go-live request to the PC, with the checklist and the pro forma,
        judged against the go-live readiness standard in force."""
        standard = self.sites.standards.site_go_live_standard()
        return self.change_site(
            site_id,
            lambda s: s.request_go_live(summary=summary, standard=standard, meta=meta),
            expected_version=expected_version,
        )

    def open_site(self, site_id: UUID, *, expected_version: int | None, meta: Meta) -> Site:
        """Go live: only once the PC's approval has arrived, and from its effective date
        (judged on the site's own day)."""
        return self.change_site(
            site_id,
            lambda s: s.go_live(on=clock.today_at(s.time_zone), meta=meta),
            expected_version=expected_version,
        )

    def set_site_time_zone(
        self, site_id: UUID, *, time_zone: str | None, expected_version: int | None, meta: Meta
    ) -> Site:
        return self.change_site(
            site_id, lambda s: s.set_time_zone(time_zone, meta), expected_version=expected_version
        )

    suspend_site = step(site, Site.suspend)
    resume_site = step(site, Site.resume)
    close_site = step(site, Site.close)
