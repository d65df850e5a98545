"""KPI targets: per KPI across the MSO, optionally per site; variance = value - target."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from contracts.v1.performance import KpiName
from mhg.changes import Change
from mhg.declared import shown
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.routed import routed
from services.mso_ops.api.dependencies import KpiTargets, MsoAdmin, MsoReader
from services.mso_ops.api.performance.schemas import (
    KpiPath,
    KpiTargetIn,
    KpiTargetOut,
    KpiTargetRow,
)
from services.mso_ops.projections import performance as performance_rows

router = APIRouter(tags=["performance"])

TARGETS = Listing(performance_rows.TARGETS, KpiTargetRow)

SiteQuery = Annotated[
    UUID | None, Query(description="The site's own target; none: the MSO-wide default")
]


@routed(
    router,
    "PUT /kpi-targets/{kpi}",
    "setKpiTarget",
    404,
    412,
    422,
    description=(
        "Creates the target, or changes it from now on; reports closed later carry it and "
        "the variance (value - target, read with the KPI's direction). Send If-Match with "
        "the ETag you read to change a target only if nobody changed it meanwhile."
    ),
)
def set_kpi_target(
    kpi: KpiPath, body: KpiTargetIn, kpi_targets: KpiTargets, caller: MsoAdmin, change: Change
) -> KpiTargetOut:
    """Set the target of a KPI, MSO-wide or for one site (a site's target wins)"""
    target = change(
        caller,
        kpi_targets.set_kpi_target,
        body=None,
        kpi=kpi,
        site_id=body.site_id,
        value=body.target,
    )
    return KpiTargetOut.of(target)


@paged(router, "/kpi-targets", "listKpiTargets", MsoReader)
def list_kpi_targets(
    pages: Pages,
    kpi: KpiName | None = None,
    site_id: UUID | None = None,
    default_only: Annotated[
        bool, Query(description="Only the MSO-wide targets (no site's own)")
    ] = False,
) -> Page[KpiTargetRow]:
    """KPI targets in the order first set, filtered by KPI and site"""
    return pages(TARGETS, kpi=kpi, site_id=site_id, default_only=default_only or None)


@shown(router, "/kpi-targets/{kpi}", "getKpiTarget", MsoReader)
def get_kpi_target(
    kpi: KpiPath, kpi_targets: KpiTargets, site_id: SiteQuery = None
) -> KpiTargetOut:
    """The target of a KPI, MSO-wide or a site's own, with its ETag"""
    return KpiTargetOut.of(kpi_targets.kpi_target(kpi, site_id))
