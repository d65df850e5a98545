"""A site's way from proposal to live and on: readiness, go-live request, opening, holds.

The go-live itself is the PC's decision; it reaches the site in pc_site_decisions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

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

    def start_site_readiness(
        self, site_id: UUID, *, expected_version: int | None, meta: Meta
    ) -> Site:
        return self.change_site(
            site_id, lambda s: s.start_readiness(meta), expected_version=expected_version
        )

    def record_checklist_evidence(
        self,
        site_id: UUID,
        *,
        item: str,
        met: bool,
        document_ref: str | None,
        note: str | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Site:
        return self.change_site(
            site_id,
            lambda s: s.record_evidence(
                item=item, met=met, document_ref=document_ref, note=note, meta=meta
            ),
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
        """Publish the go-live request to the PC, with the checklist and the pro forma."""
        return self.change_site(
            site_id,
            lambda s: s.request_go_live(summary=summary, meta=meta),
            expected_version=expected_version,
        )

    def open_site(self, site_id: UUID, *, expected_version: int | None, meta: Meta) -> Site:
        """Go live: only once the PC's approval has arrived, and from its effective date."""
        today = datetime.now(UTC).date()
        return self.change_site(
            site_id, lambda s: s.go_live(on=today, meta=meta), expected_version=expected_version
        )

    def suspend_site(
        self, site_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> Site:
        return self.change_site(
            site_id,
            lambda s: s.suspend(reason=reason, meta=meta),
            expected_version=expected_version,
        )

    def resume_site(
        self, site_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> Site:
        return self.change_site(
            site_id, lambda s: s.resume(reason=reason, meta=meta), expected_version=expected_version
        )

    def close_site(
        self, site_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> Site:
        return self.change_site(
            site_id, lambda s: s.close(reason=reason, meta=meta), expected_version=expected_version
        )
