"""Accounts: opened, revised at the version read, and named by the demand they send.

A booking, an extra session (an event day), a form or a claim that names an account is
saved with its `DemandLink` in one transaction (`demand_link`): a name of no account is
refused and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.account import Account, AccountTerms, DemandLink
from services.mso_ops.domain.account_errors import AccountNotFound, UnknownAccount


def demand_link(
    store: ServiceApplication,
    account_id: UUID | None,
    *,
    demand: str,
    demand_id: UUID,
    site_id: UUID,
    on: date,
    meta: Meta,
) -> DemandLink | None:
    """The link of a demand item to the account it names (None: it names none), to save
    with the item; an id of no account is refused (422 naming `account_id`)."""
    if account_id is None:
        return None
    found = store.repository.get(account_id) if account_id in store.repository else None
    if not isinstance(found, Account):
        raise UnknownAccount(f"no account {account_id}", field="account_id")
    return DemandLink.name(
        account=found, demand=demand, demand_id=demand_id, site_id=site_id, on=on, meta=meta
    )


@dataclass(eq=False)
class AccountCommands:
    store: ServiceApplication

    def open_account(self, *, account_id: UUID, terms: AccountTerms, meta: Meta) -> Account:
        account = Account.open(account_id=account_id, terms=terms, meta=meta)
        self.store.record(account)
        return account

    def account(self, account_id: UUID) -> Account:
        return self.store.load_as(Account, account_id, AccountNotFound, f"no account {account_id}")

    account_exists = is_recorded

    def revise_account(
        self,
        account_id: UUID,
        *,
        terms: AccountTerms,
        status: str,
        expected_version: int | None,
        meta: Meta,
    ) -> Account:
        return self.store.change(
            self.account(account_id),
            expected_version,
            lambda account: account.revise(terms=terms, status=status, meta=meta),
        )
