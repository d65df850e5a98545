"""What a site's pro forma is compared with: its actual visits and revenue, per month.

No table of its own: the plan and the recorded costs are the `MonthlyProForma`
aggregate's, and the actuals are read from the read models that already hold them, so the
comparison and the monthly performance report count the same things:

- visits: appointments fulfilled in the month (the KPI facts: came due less no-shows, the
  month the visit was due, across the site's service lines);
- revenue: charges billed for services given in the month (`mso_claims.billed_cents` by
  service date), gross of denials and payments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Connection

from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.monthly_pro_forma import MonthlyProForma, month_after
from services.mso_ops.domain.pro_forma_actuals import MonthActuals

VISIT_SIGN = {c.APPOINTMENTS_CAME_DUE: 1, c.APPOINTMENTS_NO_SHOW: -1}


def visits_by_month(
    conn: Connection, metadata: MetaData, site_id: UUID, first: date, last: date
) -> dict[date, int]:
    """Visits fulfilled at the site in each month from `first` through `last` (month starts)."""
    counts = metadata.tables["mso_kpi_counts"]
    rows = conn.execute(
        select(counts.c.month, counts.c.fact, func.sum(counts.c.total))
        .where(
            counts.c.site_id == site_id,
            counts.c.fact.in_(sorted(VISIT_SIGN)),
            counts.c.month >= first,
            counts.c.month <= last,
        )
        .group_by(counts.c.month, counts.c.fact)
    )
    visits: dict[date, int] = defaultdict(int)
    for month, fact, total in rows:
        visits[month] += VISIT_SIGN[fact] * int(total)
    return dict(visits)


def revenue_by_month(
    conn: Connection, metadata: MetaData, site_id: UUID, first: date, last: date
) -> dict[date, int]:
    """Charges billed (cents) for the site's services in each month, by service date."""
    claims = metadata.tables["mso_claims"]
    rows = conn.execute(
        select(claims.c.service_date, func.sum(claims.c.billed_cents))
        .where(
            claims.c.site_id == site_id,
            claims.c.service_date >= first,
            claims.c.service_date < month_after(last),
        )
        .group_by(claims.c.service_date)
    )
    revenue: dict[date, int] = defaultdict(int)
    for day, cents in rows:
        revenue[date(day.year, day.month, 1)] += int(cents)
    return dict(revenue)


def month_actuals(
    conn: Connection, metadata: MetaData, pro_forma: MonthlyProForma, through: date
) -> dict[date, MonthActuals]:
    """The actuals of each planned month up to `through`: visits and revenue read here, the
    costs the MSO recorded on the pro forma."""
    months = [m.month for m in pro_forma.plan.months if m.month <= through]
    if not months:
        return {}
    visits = visits_by_month(conn, metadata, pro_forma.site_id, months[0], months[-1])
    revenue = revenue_by_month(conn, metadata, pro_forma.site_id, months[0], months[-1])
    return {
        month: MonthActuals(
            visits=visits.get(month, 0),
            revenue_cents=revenue.get(month, 0),
            costs_cents=costs.costs_cents if (costs := pro_forma.costs.get(month)) else None,
        )
        for month in months
    }
