"""Accounts: the school districts, teams, employers and community programs that send
students and staff, and the demand each one sends.

An account is a customer of the MSO, not patient data: its name, kind, business
contacts (name, role, email, phone) and the service lines it buys, active or inactive.
A booking, a clearance event (an extra session), a form or a claim may name the account
it comes from: the `DemandLink` records that, saved with the booking (event, form,
claim) itself, so volume and revenue by account follow from the log. An inactive account
takes no new demand; what it sent before stays its own.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.service_lines import SERVICE_LINES
from mhg.meta import Meta
from services.mso_ops.domain.account_errors import AccountInactive, InvalidAccount

KINDS = ("school_district", "team", "employer", "community_program")
ACTIVE = "active"
INACTIVE = "inactive"
STATUSES = (ACTIVE, INACTIVE)
MAX_CONTACTS = 20
CONTACT_FIELDS = ("name", "role", "email", "phone")

APPOINTMENT = "appointment"
EVENT = "event"  # an extra session a school, team or employer asked for (an event day)
FORM = "form"
CLAIM = "claim"
DEMANDS = (APPOINTMENT, EVENT, FORM, CLAIM)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LINKS = uuid.UUID("6f1d2b7a-93c4-4e58-a0b1-2c7d9e4f8a35")


@dataclass(frozen=True)
class AccountTerms:
    """What an account is: its name, kind, contacts and the service lines it buys."""

    name: str
    kind: str
    contacts: list[dict[str, str]]
    service_lines: list[str]

    def checked(self) -> AccountTerms:
        if not self.name.strip():
            raise InvalidAccount("an account needs a name", field="name")
        if self.kind not in KINDS:
            raise InvalidAccount(f"kind must be one of {', '.join(KINDS)}", field="kind")
        unknown = sorted(set(self.service_lines) - set(SERVICE_LINES))
        if unknown:
            raise InvalidAccount(
                f"unknown service lines {unknown}: one of {', '.join(SERVICE_LINES)}",
                field="service_lines",
            )
        if len(self.contacts) > MAX_CONTACTS:
            raise InvalidAccount(f"at most {MAX_CONTACTS} contacts", field="contacts")
        for contact in self.contacts:
            if set(contact) - set(CONTACT_FIELDS) or not contact.get("name", "").strip():
                raise InvalidAccount(
                    "a contact is a name, with a role, an email and a phone", field="contacts"
                )
            if "email" in contact and not _EMAIL.fullmatch(contact["email"].strip()):
                raise InvalidAccount(
                    f"{contact['email']!r} is not an email address", field="contacts.email"
                )
        return AccountTerms(
            name=self.name.strip(),
            kind=self.kind,
            contacts=[
                {k: v.strip() for k, v in c.items() if v and v.strip()} for c in self.contacts
            ],
            service_lines=list(dict.fromkeys(self.service_lines)),
        )


@dataclass(frozen=True)
class AccountFacts(AccountTerms):
    """What each event of an account carries: its terms as given. Applying either event
    sets them all."""

    meta: Meta = field(kw_only=True)

    def apply(self, aggregate: Any) -> None:
        aggregate.name = self.name
        aggregate.kind = self.kind
        aggregate.contacts = [dict(contact) for contact in self.contacts]
        aggregate.service_lines = list(self.service_lines)


class Account(Aggregate):
    """An account: its terms are what its last event said (`AccountFacts.apply`)."""

    if TYPE_CHECKING:  # what its events apply; annotated at run time, it would be a dataclass
        name: str
        kind: str
        contacts: list[dict[str, str]]
        service_lines: list[str]

    @classmethod
    def open(cls, *, account_id: UUID, terms: AccountTerms, meta: Meta) -> Account:
        return cls._create(cls.Opened, id=account_id, meta=meta, **asdict(terms.checked()))

    class Opened(AccountFacts, Aggregate.Created):
        pass

    @event(Opened)
    def __init__(self) -> None:
        self.status = ACTIVE

    def revise(self, *, terms: AccountTerms, status: str, meta: Meta) -> None:
        """The account as it now is: every term given anew, and whether it is active."""
        terms = terms.checked()
        if status not in STATUSES:
            raise InvalidAccount(f"status must be one of {', '.join(STATUSES)}", field="status")
        self.trigger_event(self.Revised, status=status, meta=meta, **asdict(terms))

    class Revised(AccountFacts, Aggregate.Event):
        status: str

    @event(Revised)
    def _revised(self, status: str) -> None:
        self.status = status


class DemandLink(Aggregate):
    """That one booking, event, form or claim came from an account: one link per item."""

    @staticmethod
    def create_id(demand: str, demand_id: UUID) -> UUID:
        return uuid.uuid5(_LINKS, f"{demand}:{demand_id}")

    @classmethod
    def name(
        cls,
        *,
        account: Account,
        demand: str,
        demand_id: UUID,
        site_id: UUID,
        on: date,
        meta: Meta,
    ) -> DemandLink:
        """Link the item to an active account; `on`: the day it is for (a visit's, an
        event's, a request's receipt, a claim's service)."""
        if account.status != ACTIVE:
            raise AccountInactive(f"account {account.id} is inactive", field="account_id")
        return cls(
            id=cls.create_id(demand, demand_id),
            account_id=account.id,
            demand=demand,
            demand_id=demand_id,
            site_id=site_id,
            on=on,
            meta=meta,
        )

    class Named(Aggregate.Created):
        account_id: UUID
        demand: str
        demand_id: UUID
        site_id: UUID
        on: date
        meta: Meta

    @event(Named)
    def __init__(
        self,
        id: UUID,
        account_id: UUID,
        demand: str,
        demand_id: UUID,
        site_id: UUID,
        on: date,
        meta: Meta,
    ) -> None:
        self.account_id = account_id
        self.demand = demand
        self.demand_id = demand_id
        self.site_id = site_id
        self.on = on
