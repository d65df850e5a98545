"""A site's pro forma month by month: set (a new version each time), actual costs recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mhg.errors import StaleVersion
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.expansion_errors import MonthlyProFormaNotFound
from services.mso_ops.domain.monthly_pro_forma import MonthlyProForma
from services.mso_ops.domain.performance_report import month_of


@dataclass(eq=False)
class SiteProFormaCommands:
    store: ServiceApplication
    sites: SiteCommands

    def set_monthly_pro_forma(
        self,
        site_id: UUID,
        *,
        first_month: str,
        months: list[dict[str, Any]],
        investment_cents: int,
        basis: str,
        expected_version: int | None,
        meta: Meta,
    ) -> MonthlyProForma:
        """The first version, or the next one (at the version the caller read)."""
        self.sites.site(site_id)
        figures: dict[str, Any] = {
            "plan": {
                "first_month": month_of(first_month),
                "months": months,
                "investment_cents": investment_cents,
                "basis": basis,
            },
            "at": clock.now(),
            "meta": meta,
        }
        if MonthlyProForma.create_id(site_id) in self.store.repository:
            pro_forma = self.monthly_pro_forma(site_id)
            self.store.check_version(pro_forma, expected_version)
            pro_forma.revise(**figures)
        else:
            if expected_version is not None:
                raise StaleVersion(
                    f"you sent version {expected_version}; the site has no pro forma yet",
                    current_version=0,
                )
            pro_forma = MonthlyProForma.draft(site_id=site_id, **figures)
        self.store.record(pro_forma)
        return pro_forma

    def record_month_costs(
        self,
        site_id: UUID,
        month: str,
        *,
        costs_cents: int,
        document_ref: str,
        expected_version: int | None,
        meta: Meta,
    ) -> MonthlyProForma:
        return self.store.change(
            self.monthly_pro_forma(site_id),
            expected_version,
            lambda pro_forma: pro_forma.record_costs(
                month=month_of(month),
                costs_cents=costs_cents,
                document_ref=document_ref,
                at=clock.now(),
                meta=meta,
            ),
        )

    def monthly_pro_forma(self, site_id: UUID) -> MonthlyProForma:
        self.sites.site(site_id)
        return self.store.load_as(
            MonthlyProForma,
            MonthlyProForma.create_id(site_id),
            MonthlyProFormaNotFound,
            f"site {site_id} has no monthly pro forma",
        )
