"""Accounts: opened and revised by the MSO's admin, read by its staff, with their volume.

An account is a customer, not patient data: its contacts are business contacts. A
booking, an extra session, a form or a claim names the account it comes from by
`account_id`; `GET /accounts/{id}/volume` counts what came of them month by month.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from mhg import problems
from mhg.bounded import Day, Month
from mhg.changes import Change
from mhg.creation import recorded
from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.paged import remade
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from mhg.steps import Steps, changing
from services.mso_ops.api.accounts.schemas import (
    AccountIn,
    AccountKind,
    AccountOut,
    AccountRevisionIn,
    AccountRow,
    AccountStatus,
    AccountTotalsRow,
    AccountVolumeOut,
    DemandRow,
)
from services.mso_ops.api.dependencies import Accounts, MsoAdmin, MsoReader
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.projections.accounts import ACCOUNTS, DEMAND, demand_volume

router = APIRouter(tags=["accounts"])

MAX_MONTHS = 36
FromMonth = Annotated[Month, Query(description="The first month, YYYY-MM")]
ToMonth = Annotated[Month, Query(description=f"The last month, at most {MAX_MONTHS} on")]

ACCOUNT_LIST = Listing(ACCOUNTS, AccountRow)
DEMAND_LIST = Listing(DEMAND, DemandRow)
Demand = Literal["appointment", "event", "form", "claim"]

ACCOUNT = Steps(router, "/accounts/{account_id}", Accounts, AccountOut.of)
ACCOUNT.created(
    "openAccount",
    "Open an account: a school district, team, employer or community program that sends demand",
    AccountIn,
    MsoAdmin,
    lambda accounts: accounts.open_account,
    (401, 403, 422),
    find=lambda accounts: recorded(accounts.account_exists, accounts.account),
    arguments=lambda body: {"terms": body.terms()},
    description="Its contacts are business contacts; its service lines are among the known codes.",
)


@listed(router, "/accounts", "listAccounts", ACCOUNT_LIST, MsoReader)
def list_accounts(
    kind: AccountKind | None = None,
    status: AccountStatus | None = None,
    service_line: Annotated[
        ServiceLineCode | None, Query(description="Accounts buying this service line")
    ] = None,
) -> None:
    """Accounts, oldest first"""


@router.get(
    "/accounts/volume",
    operation_id="listAccountVolumes",
    summary="Volume and revenue by account over a range of months, oldest account first",
    description="Each account's totals as `GET /accounts/{id}/volume` counts them.",
    response_model=Page[AccountTotalsRow],
    responses=problems.responses(401, 403, 422),
)
def list_account_volumes(
    rt: Runtime,
    _caller: MsoReader,
    from_month: FromMonth,
    to_month: ToMonth,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    kind: AccountKind | None = None,
    status: AccountStatus | None = None,
) -> Page[AccountTotalsRow]:
    _, first, end = _months(from_month, to_month)
    page = ACCOUNT_LIST.page(rt, cursor, limit, kind=kind, status=status)
    volume = demand_volume(rt.store, first, end, [row.id for row in page.items])
    return remade(page, lambda row: AccountTotalsRow.of(row, volume.get(row.id, {})))


ACCOUNT.shown("getAccount", "One account", MsoReader, lambda accounts: accounts.account)


@listed(router, "/accounts/{account_id}/demand", "listAccountDemand", DEMAND_LIST, MsoReader)
def list_account_demand(
    account_id: UUID,
    accounts: Accounts,
    demand: Annotated[
        Demand | None, Query(description="Only bookings, events, forms or claims")
    ] = None,
    site_id: UUID | None = None,
    on_from: Annotated[Day | None, Query(description="On or after")] = None,
    on_before: Annotated[Day | None, Query(description="Before")] = None,
) -> None:
    """The bookings, event days, forms and claims that name the account, in the order named"""
    accounts.account(account_id)  # no such account: 404


@changing(router, "/accounts/{account_id}", "reviseAccount", method="PUT")
def revise_account(
    account_id: UUID, body: AccountRevisionIn, accounts: Accounts, caller: MsoAdmin, change: Change
) -> AccountOut:
    """Revise an account at the version read: its terms anew, and whether it is active"""
    revised = change(
        caller,
        accounts.revise_account,
        account_id,
        body=None,
        terms=body.terms(),
        status=body.status,
    )
    return AccountOut.of(revised)


def _months(from_month: str, to_month: str) -> tuple[list[str], date, date]:
    """Every month from one to the other, both included, the first day of the first and the
    first day after the last; a reversed or too long range is a 422."""
    first_year, first_month = map(int, from_month.split("-"))
    last_year, last_month = map(int, to_month.split("-"))
    count = (last_year - first_year) * 12 + last_month - first_month + 1
    if not 1 <= count <= MAX_MONTHS:
        raise problems.Problem(
            422,
            "invalid-month-range",
            "The months do not make a range",
            f"to_month must be from_month or later, at most {MAX_MONTHS} months on",
            field="to_month",
        )
    at = first_year * 12 + first_month - 1

    def first_day(n: int) -> date:
        return date((at + n) // 12, (at + n) % 12 + 1, 1)

    return [f"{first_day(n):%Y-%m}" for n in range(count)], first_day(0), first_day(count)


@shown(
    router,
    "/accounts/{account_id}/volume",
    "getAccountVolume",
    MsoReader,
    versioned=False,
    description=(
        "Visits by the month they start in at their site (booked, completed, cancelled, "
        "no-show), event "
        "days, forms by the day received, and claims with what they billed and collected by "
        "the day of service: all of them the items that name the account."
    ),
)
def get_account_volume(
    account_id: UUID,
    accounts: Accounts,
    rt: Runtime,
    from_month: FromMonth,
    to_month: ToMonth,
) -> AccountVolumeOut:
    """An account's volume and revenue, month by month"""
    account = accounts.account(account_id)
    months, first, end = _months(from_month, to_month)
    volume = demand_volume(rt.store, first, end, [account_id])
    return AccountVolumeOut.of(account, months, volume.get(account_id, {}))
