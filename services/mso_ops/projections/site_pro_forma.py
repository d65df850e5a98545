"""Sites' monthly pro formas and what they are compared with: actual visits and revenue.

The plan in force and the recorded costs are kept per (pro forma, month), so a month's
variances can be read for every site at once; one site's comparison reads its aggregate.
The actuals are read from the read models that already hold them, so the comparison and
the monthly performance report count the same things:

- visits: appointments fulfilled in the month (the KPI facts: came due less no-shows, the
  month the visit was due, across the site's service lines);
- revenue: charges billed for services given in the month (`mso_claims.billed_cents` by
  service date), gross of denials and payments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    Uuid,
    delete,
    func,
    select,
)
from sqlalchemy.engine import Connection

from mhg.projection import Projection
from mhg.read_models import required
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.monthly_pro_forma import (
    FIGURES,
    MonthlyProForma,
    PlannedMonth,
    month_after,
)
from services.mso_ops.domain.pro_forma_actuals import MonthActuals

VISIT_SIGN = {c.APPOINTMENTS_CAME_DUE: 1, c.APPOINTMENTS_NO_SHOW: -1}


def define(metadata: MetaData) -> None:
    Table(
        "mso_pro_forma_months",  # the months of the plan in force
        metadata,
        Column("pro_forma_id", Uuid, primary_key=True),
        Column("month", Date, primary_key=True, index=True),
        *required(site_id=Uuid, plan_version=Integer),
        *(Column(name, BigInteger, nullable=False) for name in FIGURES),
    )
    Table(
        "mso_pro_forma_costs",  # actual costs as last recorded
        metadata,
        Column("pro_forma_id", Uuid, primary_key=True),
        Column("month", Date, primary_key=True, index=True),
        Column("costs_cents", BigInteger, nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    months = metadata.tables["mso_pro_forma_months"]
    costs = metadata.tables["mso_pro_forma_costs"]

    def planned(conn: Connection, event: Any, site_id: UUID, version: int) -> None:
        first = date.fromisoformat(event.plan["first_month"])
        conn.execute(
            months.insert(),
            [
                {
                    "pro_forma_id": event.originator_id,
                    "month": month_after(first, index),
                    "site_id": site_id,
                    "plan_version": version,
                    **figures,
                }
                for index, figures in enumerate(event.plan["months"])
            ],
        )

    def drafted(conn: Connection, event: Any, _position: int) -> None:
        planned(conn, event, event.site_id, 1)

    def revised(conn: Connection, event: Any, _position: int) -> None:
        site_id, version = conn.execute(
            select(months.c.site_id, months.c.plan_version)
            .where(months.c.pro_forma_id == event.originator_id)
            .limit(1)
        ).one()
        conn.execute(delete(months).where(months.c.pro_forma_id == event.originator_id))
        planned(conn, event, site_id, version + 1)

    def costs_recorded(conn: Connection, event: Any, _position: int) -> None:
        key = (costs.c.pro_forma_id == event.originator_id, costs.c.month == event.month)
        conn.execute(delete(costs).where(*key))
        conn.execute(
            costs.insert().values(
                pro_forma_id=event.originator_id, month=event.month, costs_cents=event.costs_cents
            )
        )

    return Projection(
        name="mso_site_pro_forma",
        tables=[months, costs],
        handlers={
            MonthlyProForma.Drafted: drafted,
            MonthlyProForma.Revised: revised,
            MonthlyProForma.CostsRecorded: costs_recorded,
        },
    )


Key = tuple[UUID, date]  # a site's month


def visits_by_month(
    conn: Connection, metadata: MetaData, first: date, last: date, site_id: UUID | None = None
) -> dict[Key, int]:
    """Visits fulfilled in each month from `first` through `last` (month starts), per site
    (or at the one site asked for)."""
    counts = metadata.tables["mso_kpi_counts"]
    chosen = [] if site_id is None else [counts.c.site_id == site_id]
    rows = conn.execute(
        select(counts.c.site_id, counts.c.month, counts.c.fact, func.sum(counts.c.total))
        .where(
            *chosen,
            counts.c.fact.in_(sorted(VISIT_SIGN)),
            counts.c.month >= first,
            counts.c.month <= last,
        )
        .group_by(counts.c.site_id, counts.c.month, counts.c.fact)
    )
    visits: dict[Key, int] = defaultdict(int)
    for site, month, fact, total in rows:
        visits[site, month] += VISIT_SIGN[fact] * int(total)
    return dict(visits)


def revenue_by_month(
    conn: Connection, metadata: MetaData, first: date, last: date, site_id: UUID | None = None
) -> dict[Key, int]:
    """Charges billed (cents) for services in each month, by service date, per site."""
    claims = metadata.tables["mso_claims"]
    chosen = [] if site_id is None else [claims.c.site_id == site_id]
    rows = conn.execute(
        select(claims.c.site_id, claims.c.service_date, func.sum(claims.c.billed_cents))
        .where(
            *chosen,
            claims.c.service_date >= first,
            claims.c.service_date < month_after(last),
        )
        .group_by(claims.c.site_id, claims.c.service_date)
    )
    revenue: dict[Key, int] = defaultdict(int)
    for site, day, cents in rows:
        revenue[site, date(day.year, day.month, 1)] += int(cents)
    return dict(revenue)


def month_actuals(
    conn: Connection, metadata: MetaData, pro_forma: MonthlyProForma, through: date
) -> dict[date, MonthActuals]:
    """The actuals of each planned month up to `through`: visits and revenue read here, the
    costs the MSO recorded on the pro forma."""
    months = [m.month for m in pro_forma.plan.months if m.month <= through]
    if not months:
        return {}
    site = pro_forma.site_id
    visits = visits_by_month(conn, metadata, months[0], months[-1], site)
    revenue = revenue_by_month(conn, metadata, months[0], months[-1], site)
    return {
        month: MonthActuals(
            visits=visits.get((site, month), 0),
            revenue_cents=revenue.get((site, month), 0),
            costs_cents=costs.costs_cents if (costs := pro_forma.costs.get(month)) else None,
        )
        for month in months
    }


def month_plans(
    conn: Connection, metadata: MetaData, month: date
) -> list[tuple[PlannedMonth, int, UUID, MonthActuals]]:
    """Every site whose plan in force plans `month`: its planned month, plan version and
    site, and the month's actuals (whether the month has begun is the caller's to judge)."""
    months = metadata.tables["mso_pro_forma_months"]
    costs = metadata.tables["mso_pro_forma_costs"]
    rows = conn.execute(
        select(months, costs.c.costs_cents.label("actual_costs"))
        .outerjoin(
            costs,
            (costs.c.pro_forma_id == months.c.pro_forma_id) & (costs.c.month == months.c.month),
        )
        .where(months.c.month == month)
        .order_by(months.c.site_id)
    ).mappings()
    plans = list(rows)
    visits = visits_by_month(conn, metadata, month, month)
    revenue = revenue_by_month(conn, metadata, month, month)
    return [
        (
            PlannedMonth(month, *(row[name] for name in FIGURES)),
            row["plan_version"],
            row["site_id"],
            MonthActuals(
                visits=visits.get((row["site_id"], month), 0),
                revenue_cents=revenue.get((row["site_id"], month), 0),
                costs_cents=row["actual_costs"],
            ),
        )
        for row in plans
    ]
