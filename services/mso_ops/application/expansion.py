"""The expansion pipeline: prospective sites through the steps of seed 003, into a proposed site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from mhg.aggregate_command import is_recorded, step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.expansion_errors import InvalidProspectStep, ProspectNotFound
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.prospect import ProspectiveSite
from services.mso_ops.domain.site import Site


@dataclass(eq=False)
class ExpansionCommands:
    store: ServiceApplication
    sites: SiteCommands

    def identify_prospect(
        self, *, prospect_id: UUID, meta: Meta, **particulars: Any
    ) -> ProspectiveSite:
        """The prospect as identified (`particulars`: its name, kind, area and rationale, as
        `ProspectiveSite` names them)."""
        prospect = ProspectiveSite(id=prospect_id, at=clock.now(), meta=meta, **particulars)
        self.store.record(prospect)
        return prospect

    prospect_exists = is_recorded

    def prospect(self, prospect_id: UUID) -> ProspectiveSite:
        return self.store.load_as(
            ProspectiveSite, prospect_id, ProspectNotFound, f"no prospective site {prospect_id}"
        )

    assess_prospect_market = step(prospect, ProspectiveSite.assess_market, clock.timed)
    shortlist_prospect_account = step(prospect, ProspectiveSite.shortlist_account, clock.timed)
    review_prospect = step(prospect, ProspectiveSite.review, clock.timed)
    withdraw_prospect = step(prospect, ProspectiveSite.withdraw, clock.timed)

    def set_prospect_pro_forma(
        self,
        prospect_id: UUID,
        *,
        expected_version: int | None,
        meta: Meta,
        **figures: Any,
    ) -> ProspectiveSite:
        """The figures are those of a site's pro forma (lines, fixed and start-up cost), so
        that the proposed site a prospect becomes carries them as its own."""
        return self.store.change(
            self.prospect(prospect_id),
            expected_version,
            lambda prospect: prospect.set_pro_forma(
                figures=ProForma.of(**figures), at=clock.now(), meta=meta
            ),
        )

    def convert_prospect(
        self,
        prospect_id: UUID,
        *,
        address: str,
        expected_version: int | None,
        meta: Meta,
    ) -> ProspectiveSite:
        """The existing site proposal (with the endorsed pro forma) and the prospect's
        conversion, saved together: either both are recorded or neither."""
        prospect = self.prospect(prospect_id)
        self.store.check_version(prospect, expected_version)
        site_id = uuid4()
        prospect.convert(site_id=site_id, at=clock.now(), meta=meta)
        if prospect.pro_forma is None:  # pragma: no cover - an endorsed case has one
            raise InvalidProspectStep(f"{prospect.name} has no pro forma")
        site = self.sites.proposed_site(
            site_id=site_id,
            name=prospect.name,
            kind=prospect.kind,
            address=address,
            pro_forma=prospect.pro_forma.as_dict(),
            meta=meta,
        )
        self.store.record(site, prospect)
        return prospect

    def site_of(self, prospect: ProspectiveSite) -> Site | None:
        """The site a converted prospect became, where its go-live is requested and decided."""
        return None if prospect.site_id is None else self.sites.site(prospect.site_id)
