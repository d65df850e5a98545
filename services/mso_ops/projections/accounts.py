"""Accounts and the demand linked to them: the tables, their handlers and the queries.

`mso_accounts` (with `mso_account_service_lines`, what a list filters on) holds each
account as it now is; `mso_account_demand` each booking, event, form and claim that
names an account. Volume and revenue are read through the links from the rows of the
items themselves (appointments, forms, claims), so a visit's later outcome or a claim's
later payment counts without a handler of its own here. A visit's or a form's month is
the month of its instant at its own site (on the site's wall clock when it has a zone,
ADR 0027): an account's demand spans sites, each item is counted in its site's month.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, Date, MetaData, String, Table, Uuid, delete, select
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equal_columns, linked, span, start_of_day
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, in_turn, insert_on, set_on_row
from mhg.read_models import aggregate_columns, projection_over, required
from mhg.readstore import ReadStore
from services.mso_ops.domain import account as demands
from services.mso_ops.domain.account import Account, DemandLink
from services.mso_ops.domain.appointment import CANCELLED, ENTERED_IN_ERROR, FULFILLED, NO_SHOW
from services.mso_ops.domain.form import DELIVERED
from services.mso_ops.domain.site_time import local_day
from services.mso_ops.projections.column_groups import name, row_status
from services.mso_ops.projections.kpi_readings import read_site_zones

ZONE_REACH = timedelta(days=1)  # more than any zone's offset from UTC (at most 14 hours)
TABLES = ("mso_accounts", "mso_account_service_lines", "mso_account_demand")

ACCOUNTS = Selection(
    "mso_accounts",
    **equal_columns("kind", "status"),
    service_line=linked("mso_account_service_lines", "account_id"),
)
DEMAND = Selection(
    "mso_account_demand",
    **equal_columns("account_id", "demand", "site_id"),
    **span("on", "on"),
)


def define(metadata: MetaData) -> None:
    Table(
        "mso_accounts",
        metadata,
        *aggregate_columns(),
        name(),
        Column("kind", String(30), nullable=False, index=True),
        row_status(),
        *required(service_lines=JSON, contacts=JSON, opened_at=UTCDateTime),
    )
    Table(
        "mso_account_service_lines",
        metadata,
        Column("account_id", Uuid, primary_key=True),
        Column("service_line", String(40), primary_key=True, index=True),
    )
    Table(
        "mso_account_demand",
        metadata,
        *aggregate_columns(),
        Column("account_id", Uuid, nullable=False, index=True),
        Column("demand", String(20), nullable=False),
        Column("demand_id", Uuid, nullable=False, index=True),
        *required(site_id=Uuid, on=Date),
    )


def projection(metadata: MetaData) -> Projection:
    accounts = metadata.tables["mso_accounts"]
    lines = metadata.tables["mso_account_service_lines"]

    def buys(conn: Connection, event: Any, _position: int) -> None:
        """The service lines the account buys, as the event lists them."""
        account_id = event.originator_id
        conn.execute(delete(lines).where(lines.c.account_id == account_id))
        rows = [{"account_id": account_id, "service_line": code} for code in event.service_lines]
        if rows:
            conn.execute(lines.insert(), rows)

    opened = insert_on(
        accounts, "name", "kind", "service_lines", "contacts", status="active", opened_at=MOMENT
    )
    told = ("name", "kind", "service_lines", "contacts", "status")
    revised = set_on_row(accounts, **{column: from_event(column) for column in told})

    named = insert_on(
        metadata.tables["mso_account_demand"], "account_id", "demand", "demand_id", "site_id", "on"
    )
    return projection_over(
        metadata,
        "mso_accounts",
        TABLES,
        {
            Account.Opened: in_turn(opened, buys),
            Account.Revised: in_turn(revised, buys),
            DemandLink.Named: named,
        },
    )


@dataclass
class MonthVolume:
    """One account's demand in one month: visits by the month of their start, events by
    their day, forms by their receipt, claims (and their revenue) by the day of service."""

    month: str
    visits_booked: int = 0
    visits_completed: int = 0
    visits_cancelled: int = 0
    visits_no_show: int = 0
    events: int = 0
    forms_requested: int = 0
    forms_delivered: int = 0
    claims: int = 0
    billed_cents: int = 0
    collected_cents: int = 0

    def add(self, other: MonthVolume) -> None:
        for field in fields(self):
            if field.name != "month":
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def _month(day: date | datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class _Tallies:
    """Volumes per account and month, made as they are first counted."""

    def __init__(self) -> None:
        self.by_account: dict[UUID, dict[str, MonthVolume]] = {}

    def of(self, account_id: UUID, day: date | datetime) -> MonthVolume:
        months = self.by_account.setdefault(account_id, {})
        month = _month(day)
        return months.setdefault(month, MonthVolume(month))


def demand_volume(
    store: ReadStore, first: date, end: date, accounts: Sequence[UUID]
) -> dict[UUID, dict[str, MonthVolume]]:
    """The volume of each of the `accounts` per month, of what is dated on or after `first`
    and before `end`; months and accounts with nothing linked are absent.
    The appointments', forms' and claims' own rows say what became of each item."""
    known = store.metadata.tables
    links, appointments = known["mso_account_demand"], known["mso_appointments"]
    forms, claims = known["mso_forms"], known["mso_claims"]
    start, stop = start_of_day(first - ZONE_REACH), start_of_day(end + ZONE_REACH)
    zones = read_site_zones(store)
    mine = [links.c.account_id.in_(list(accounts))]
    tallies = _Tallies()

    def of(demand: str, table: Table, *columns: Column[Any]) -> Any:
        return (
            select(links.c.account_id, table.c.site_id, *columns)
            .join(table, table.c.id == links.c.demand_id)
            .where(links.c.demand == demand, *mine)
        )

    def at_site(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows whose instant is on a day from `first` to before `end` at their site,
        each with that day in place of the site and the instant."""
        for account, site_id, at, *rest in rows:
            day = local_day(at, zones.get(site_id))
            if first <= day < end:
                yield account, day, *rest

    with store.reader.connect() as conn:
        visits = of(demands.APPOINTMENT, appointments, appointments.c.start, appointments.c.status)
        for account, day, status in at_site(
            conn.execute(visits.where(appointments.c.start >= start, appointments.c.start < stop))
        ):
            _count_visit(tallies.of(account, day), status)
        events = select(links.c.account_id, links.c.on).where(
            links.c.demand == demands.EVENT, links.c.on >= first, links.c.on < end, *mine
        )
        for account, day in conn.execute(events):
            tallies.of(account, day).events += 1
        requests = of(demands.FORM, forms, forms.c.received_at, forms.c.status)
        for account, day, status in at_site(
            conn.execute(requests.where(forms.c.received_at >= start, forms.c.received_at < stop))
        ):
            volume = tallies.of(account, day)
            volume.forms_requested += 1
            volume.forms_delivered += status == DELIVERED
        billed = of(
            demands.CLAIM,
            claims,
            claims.c.service_date,
            claims.c.billed_cents,
            claims.c.paid_cents,
            claims.c.refunded_cents,
        )
        for account, _site, day, billed_cents, paid, refunded in conn.execute(
            billed.where(claims.c.service_date >= first, claims.c.service_date < end)
        ):
            volume = tallies.of(account, day)
            volume.claims += 1
            volume.billed_cents += billed_cents
            volume.collected_cents += (paid or 0) - refunded
    return tallies.by_account


def _count_visit(volume: MonthVolume, status: str) -> None:
    if status == ENTERED_IN_ERROR:  # a booking that should never have existed
        return
    volume.visits_booked += 1
    volume.visits_completed += status == FULFILLED
    volume.visits_cancelled += status == CANCELLED
    volume.visits_no_show += status == NO_SHOW
