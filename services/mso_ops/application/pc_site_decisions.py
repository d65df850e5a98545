"""PC decisions on a site's go-live or on a material change, as they arrive through its feed.

Both kinds of request name no service line; the request id tells them apart: a
material change is stored under its request's id, a go-live request on the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mhg.eventstore import ServiceApplication
from services.mso_ops.application.operating_terms import OperatingTerms
from services.mso_ops.application.pc_decisions import PcDecision
from services.mso_ops.application.site_changes import SiteChangeCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.errors import DecisionDoesNotMatch
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_change import APPROVED, SiteChange


@dataclass(eq=False)
class PcSiteDecisionCommands:
    store: ServiceApplication
    sites: SiteCommands
    site_changes: SiteChangeCommands
    operating_terms: OperatingTerms

    def _subject(self, decision: PcDecision) -> tuple[Site, SiteChange | None]:
        site = self.sites.site(decision.site_id)
        change = self.site_changes.site_change_for(decision.request_id)
        if change is not None and change.site_id != decision.site_id:
            raise DecisionDoesNotMatch(f"request {decision.request_id} is a change at another site")
        return site, change

    def record_pc_site_approval(
        self, *, decision: PcDecision, effective_date: date, conditions: list[str]
    ) -> Site:
        site, change = self._subject(decision)
        meta, terms = decision.meta, None
        approval = decision.approval(effective_date, conditions)
        if change is None:
            site.record_approval(decision.request_id, approval, meta)
        else:
            change.record_approval(approval, meta)
            site.set_operating_term(aspect=change.aspect, term=change.term(), meta=meta)
            terms = self.operating_terms.approved(
                change, decision_id=decision.decision_id, meta=meta
            )
        self.store.record(change, site, terms, tracking=decision.tracking)
        return site

    def record_pc_site_withdrawal(self, *, decision: PcDecision, outcome: str, reason: str) -> Site:
        """Denied, suspended or revoked: a go-live or a change, whichever the request was."""
        site, change = self._subject(decision)
        meta, terms = decision.meta, None
        withdrawal = decision.withdrawal(outcome, reason)
        if change is None:
            site.record_withdrawal(decision.request_id, withdrawal, meta)
        else:
            was_in_force = change.status == APPROVED and _term_of(site, change) is not None
            change.record_withdrawal(withdrawal, meta)
            if was_in_force:  # the site's previous term for the aspect returns
                site.set_operating_term(aspect=change.aspect, term=change.previous, meta=meta)
            terms = self.operating_terms.withdrawn(
                change, outcome=outcome, decision_id=decision.decision_id, meta=meta
            )
        self.store.record(change, site, terms, tracking=decision.tracking)
        return site

    def record_pc_site_reinstatement(self, *, decision: PcDecision, reason: str) -> Site:
        site, change = self._subject(decision)
        meta, terms = decision.meta, None
        reinstatement = decision.reinstatement(reason)
        if change is None:
            site.record_reinstatement(decision.request_id, reinstatement, meta)
        else:
            change.record_reinstatement(reinstatement, meta)
            if site.operations.get(change.aspect) == change.previous:  # nothing newer since
                site.set_operating_term(aspect=change.aspect, term=change.term(), meta=meta)
            terms = self.operating_terms.reinstated(
                change, decision_id=decision.decision_id, meta=meta
            )
        self.store.record(change, site, terms, tracking=decision.tracking)
        return site


def _term_of(site: Site, change: SiteChange) -> dict[str, object] | None:
    """The site's term for the change's aspect, if it is the one this change put in force."""
    term = site.operations.get(change.aspect)
    return term if term is not None and term.get("change_id") == str(change.id) else None
