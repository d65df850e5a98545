"""The operating terms the PC approved at each site: kept as its decisions arrive, read
where a schedule or a staffing is judged against them (domain/operating_term.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.operating_term import TermInForce
from services.mso_ops.domain.operating_terms import SiteOperatingTerms
from services.mso_ops.domain.site_change import SiteChange


@dataclass(eq=False)
class OperatingTerms:
    store: ServiceApplication

    def of_site(self, site_id: UUID) -> SiteOperatingTerms | None:
        """The site's approved terms; None while the PC has approved none (older sites)."""
        try:
            found: object = self.store.repository.get(SiteOperatingTerms.create_id(site_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, SiteOperatingTerms) else None

    def in_force(self, site_id: UUID, aspect: str, day: date) -> TermInForce | None:
        terms = self.of_site(site_id)
        return None if terms is None else terms.in_force(aspect, day)

    def on_days(
        self, site_id: UUID, aspect: str, days: set[date]
    ) -> dict[date, TermInForce | None]:
        terms = self.of_site(site_id)
        return {day: None if terms is None else terms.in_force(aspect, day) for day in days}

    # -- the PC's decisions on a change, as they arrive -------------------------------

    def approved(
        self, change: SiteChange, *, decision_id: UUID, meta: Meta
    ) -> SiteOperatingTerms | None:
        """The change's structured term in force from its effective date (to save with it)."""
        if change.operating_term is None:
            return None
        terms = self.of_site(change.site_id) or SiteOperatingTerms(
            site_id=change.site_id, meta=meta
        )
        terms.approve(change, decision_id, meta)
        return terms

    def withdrawn(
        self, change: SiteChange, *, outcome: str, decision_id: UUID, meta: Meta
    ) -> SiteOperatingTerms | None:
        terms = self.of_site(change.site_id)
        if terms is not None:
            terms.withdraw(change.id, outcome, decision_id, meta)
        return terms

    def reinstated(
        self, change: SiteChange, *, decision_id: UUID, meta: Meta
    ) -> SiteOperatingTerms | None:
        terms = self.of_site(change.site_id)
        if terms is not None:
            terms.reinstate(change.id, decision_id, meta)
        return terms
