"""A site's pro forma month by month, its actual costs, and the plan against the actuals."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter

from mhg.changes import Change
from mhg.declared import shown
from mhg.routes import Runtime
from mhg.steps import changing
from services.mso_ops.api.dependencies import BillingClerk, MsoAdmin, MsoReader, capability
from services.mso_ops.api.expansion.pro_forma_schemas import (
    MonthCostsIn,
    MonthlyProFormaIn,
    MonthlyProFormaOut,
    MonthProFormaOut,
    ProFormaActualsOut,
)
from services.mso_ops.api.performance.schemas import MonthPath
from services.mso_ops.application import clock
from services.mso_ops.application.site_pro_forma import SiteProFormaCommands
from services.mso_ops.domain.performance_report import month_of as first_of_month
from services.mso_ops.domain.pro_forma_actuals import compared, month_compared
from services.mso_ops.projections.kpi_facts import month_of
from services.mso_ops.projections.kpi_readings import read_site_zones
from services.mso_ops.projections.site_pro_forma import month_actuals, month_plans

router = APIRouter(tags=["expansion"])

SiteProForma = Annotated[SiteProFormaCommands, capability(lambda app: app.site_pro_forma)]


@changing(
    router,
    "/sites/{site_id}/pro-forma/months",
    "setSiteMonthlyProForma",
    method="PUT",
    description=(
        "The first version, or the next one (send the version read as If-Match). Each "
        "month's visits, revenue and costs in whole cents, from `first_month` on, and the "
        "start-up investment. Earlier versions stay on the record; the comparison with "
        "the actuals is against the latest."
    ),
)
def set_monthly_pro_forma(
    site_id: UUID,
    body: MonthlyProFormaIn,
    site_pro_forma: SiteProForma,
    caller: MsoAdmin,
    change: Change,
) -> MonthlyProFormaOut:
    """Set the site's pro forma month by month"""
    return MonthlyProFormaOut.of(
        change(caller, site_pro_forma.set_monthly_pro_forma, site_id, body=body)
    )


@shown(router, "/sites/{site_id}/pro-forma/months", "getSiteMonthlyProForma", MsoReader)
def get_monthly_pro_forma(site_id: UUID, site_pro_forma: SiteProForma) -> MonthlyProFormaOut:
    """The site's pro forma month by month: the version in force, every version, the costs"""
    return MonthlyProFormaOut.of(site_pro_forma.monthly_pro_forma(site_id))


@changing(
    router,
    "/sites/{site_id}/pro-forma/months/{month}/costs",
    "recordSiteMonthCosts",
    method="PUT",
    description=(
        "The month's actual costs from the books (recording again corrects them). Refused "
        "with 409 `month-not-planned` for a month the pro forma does not plan or that has "
        "not begun."
    ),
)
def record_month_costs(
    site_id: UUID,
    month: MonthPath,
    body: MonthCostsIn,
    site_pro_forma: SiteProForma,
    caller: BillingClerk,
    change: Change,
) -> MonthlyProFormaOut:
    """Record a month's actual costs at the site"""
    return MonthlyProFormaOut.of(
        change(caller, site_pro_forma.record_month_costs, site_id, month, body=body)
    )


@shown(
    router,
    "/sites/{site_id}/pro-forma/actuals",
    "getSiteProFormaActuals",
    MsoReader,
    versioned=False,
    description=(
        "Per planned month: the plan, the actuals (visits fulfilled, charges billed for the "
        "month's services, the costs recorded), the variance (actual less planned) and the "
        "margin; then the payback to date, the actual margin against the investment. "
        "Months are the site's calendar months (on its wall clock when it has a time zone, "
        "in UTC when it has none), as the monthly performance report's."
    ),
)
def get_pro_forma_actuals(
    site_id: UUID, site_pro_forma: SiteProForma, rt: Runtime
) -> ProFormaActualsOut:
    """The site's pro forma against its actual months, with payback to date"""
    pro_forma = site_pro_forma.monthly_pro_forma(site_id)
    through = month_of(clock.today_at(read_site_zones(rt.store).get(site_id)))
    with rt.store.reader.connect() as conn:
        actuals = month_actuals(conn, rt.store.metadata, pro_forma, through)
    return ProFormaActualsOut.model_validate(
        {"site_id": site_id, **compared(pro_forma.plan, actuals, through)}
    )


@shown(
    router,
    "/performance-reports/{month}/pro-forma",
    "getMonthProFormaVariances",
    MsoReader,
    versioned=False,
    description=(
        "Beside the month's performance report (and as its months are cut): for each site "
        "whose pro forma plans the month, the plan, the actuals and the variance, read now "
        "(a closed report's revisions are not recomputed). A month not begun at the site (on "
        "its wall clock) has no actuals."
    ),
)
def get_month_pro_forma(month: MonthPath, rt: Runtime) -> MonthProFormaOut:
    """Each site's pro forma against the month's actuals"""
    the_month = first_of_month(month)
    zones = read_site_zones(rt.store)

    def begun(site_id: UUID) -> bool:
        return the_month <= month_of(clock.today_at(zones.get(site_id)))

    with rt.store.reader.connect() as conn:
        plans = month_plans(conn, rt.store.metadata, the_month)
    return MonthProFormaOut.model_validate(
        {
            "month": the_month,
            "sites": [
                {
                    "site_id": site_id,
                    "plan_version": version,
                    **month_compared(planned, actual if begun(site_id) else None),
                }
                for planned, version, site_id, actual in plans
            ],
        }
    )
