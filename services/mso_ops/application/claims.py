"""Claims: submitted for a service line proposed at a site, coded under the PC's coding
rules in force on the service date (409 when none is), then followed to payment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from mhg.aggregate_command import step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.accounts import demand_link
from services.mso_ops.application.clinical_policies import ClinicalPolicyRecords
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.account import CLAIM
from services.mso_ops.domain.billing_errors import (
    ClaimAlreadySubmitted,
    ClaimNotFound,
    InvalidClaim,
)
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.claim_coding import ClaimCoding
from services.mso_ops.domain.service_line import ServiceLine


@dataclass(eq=False)
class ClaimCommands:
    store: ServiceApplication
    sites: SiteCommands
    policies: ClinicalPolicyRecords

    def submit_claim(
        self,
        *,
        site_id: UUID,
        service_line: str,
        meta: Meta,
        account_id: UUID | None = None,
        **claim_fields: Any,
    ) -> Claim:
        """A claim for a line proposed at the site (`claim_fields`: as `Claim.submit` names
        them), linked to the account it bills for if it names one."""
        if not self.sites.site_exists(site_id):
            raise InvalidClaim(f"site_id names no site: {site_id}", field="site_id")
        if ServiceLine.create_id(site_id, service_line) not in self.store.repository:
            raise InvalidClaim(
                f"{service_line} is not proposed at site {site_id}", field="service_line"
            )
        zone = self.sites.site(site_id).time_zone
        claim = Claim.submit(
            site_id=site_id,
            service_line=service_line,
            today=clock.today_at(zone),  # a service date is the site's own day
            meta=meta,
            **claim_fields,
        )
        link = demand_link(
            self.store,
            account_id,
            demand=CLAIM,
            demand_id=claim.id,
            site_id=site_id,
            on=claim.service_date,
            meta=meta,
        )
        coded_under = self.policies.coding_rules_in_force(service_line, claim.service_date)
        if claim.id in self.store.repository:
            raise ClaimAlreadySubmitted(
                f"claim {claim.claim_number} of {claim.payer} is submitted already",
                claim_id=str(claim.id),
            )
        coding = ClaimCoding.cite(claim_id=claim.id, citation=coded_under.citation(), meta=meta)
        # one transaction: no claim without its citation, nor without its account's link
        self.store.record(claim, coding, link)
        return claim

    def claim_coding(self, claim_id: UUID) -> ClaimCoding | None:
        """The coding-rules citation of a claim; None for one submitted before claims cited."""
        coding_id = ClaimCoding.create_id(self.claim(claim_id).id)
        if coding_id not in self.store.repository:
            return None
        coding: ClaimCoding = self.store.repository.get(coding_id)
        return coding

    def claim(self, claim_id: UUID) -> Claim:
        return self.store.load_as(Claim, claim_id, ClaimNotFound, f"no claim {claim_id}")

    def dated_at_site(self, claim: Claim) -> dict[str, date]:
        """A step's `today`: today at the claim's site (its dates are the site's days)."""
        return {"today": clock.today_at(self.sites.site(claim.site_id).time_zone)}

    accept_claim = step(claim, Claim.accept, stamp_of=dated_at_site)
    deny_claim = step(claim, Claim.deny, stamp_of=dated_at_site)
    appeal_claim = step(claim, Claim.appeal, stamp_of=dated_at_site)
    record_claim_payment = step(claim, Claim.record_payment, stamp_of=dated_at_site)
    refund_claim = step(claim, Claim.refund, stamp_of=dated_at_site)

    def collection_events(self, page: int = 500) -> Iterator[Any]:
        """Every payment and refund on a claim, from the log itself (a read model may lag)."""
        topics = [
            get_topic(Claim.Paid),
            get_topic(Claim.Refunded),
        ]
        after = 0
        while True:
            notifications = self.store.recorder.select_notifications(
                start=after, limit=page, topics=topics, inclusive_of_start=False
            )
            for notification in notifications:
                yield self.store.decode(notification)
            if len(notifications) < page:
                return
            after = notifications[-1].id
