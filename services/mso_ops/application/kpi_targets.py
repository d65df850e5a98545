"""KPI targets: one per KPI across the MSO, and optionally one per site that overrides it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from mhg.errors import StaleVersion
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.kpi_target import KpiTarget, kpi_named
from services.mso_ops.domain.performance_errors import KpiTargetNotFound


@dataclass(eq=False)
class KpiTargetCommands:
    store: ServiceApplication
    sites: SiteCommands

    def set_kpi_target(
        self,
        *,
        kpi: str,
        site_id: UUID | None,
        value: Decimal,
        expected_version: int | None,
        meta: Meta,
    ) -> KpiTarget:
        kpi_named(kpi)
        if site_id is not None:
            self.sites.site(site_id)
        target_id = KpiTarget.create_id(kpi, site_id)
        if target_id in self.store.repository:
            target = self.kpi_target(kpi, site_id)
            self.store.check_version(target, expected_version)
            target.change(value, meta)
        else:
            if expected_version is not None:
                raise StaleVersion(
                    f"you sent version {expected_version}; {kpi} has no target here yet",
                    current_version=0,
                )
            target = KpiTarget.define(kpi=kpi, site_id=site_id, value=value, meta=meta)
        self.store.record(target)
        return target

    def kpi_target(self, kpi: str, site_id: UUID | None) -> KpiTarget:
        kpi_named(kpi)
        where = f" at site {site_id}" if site_id else ""
        target = self.store.load(
            KpiTarget.create_id(kpi, site_id), KpiTargetNotFound, f"no target for {kpi}{where}"
        )
        if not isinstance(target, KpiTarget):  # pragma: no cover - ids are derived
            raise KpiTargetNotFound(f"no target for {kpi}{where}")
        return target
