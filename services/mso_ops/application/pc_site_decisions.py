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
        if change is None:
            site.record_approval(
                **decision.ids, effective_date=effective_date, conditions=conditions, meta=meta
            )
        else:
            change.record_approval(
                **decision.change_answer,
                effective_date=effective_date,
                conditions=conditions,
                meta=meta,
            )
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
        if change is None:
            if outcome == "denied":
                site.record_denial(**decision.ids, reason=reason, meta=meta)
            else:
                act = site.record_pc_hold if outcome == "suspended" else site.record_revocation
                act(**decision.request_answer, reason=reason, meta=meta)
        else:
            was_in_force = change.status == APPROVED and _term_of(site, change) is not None
            change.record_withdrawal(
                outcome=outcome, **decision.change_answer, reason=reason, meta=meta
            )
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
        if change is None:
            site.record_pc_release(**decision.request_answer, reason=reason, meta=meta)
        else:
            change.record_reinstatement(**decision.change_answer, reason=reason, meta=meta)
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
