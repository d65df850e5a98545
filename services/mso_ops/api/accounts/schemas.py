"""Request and response bodies of accounts and of their volume and revenue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Line
from mhg.views import showing
from services.mso_ops.api.schemas import ServiceLineCode, Strict, Text, example
from services.mso_ops.domain.account import MAX_CONTACTS, Account, AccountTerms
from services.mso_ops.projections.accounts import MonthVolume

AccountKind = TypeAliasType(
    "AccountKind", Literal["school_district", "team", "employer", "community_program"]
)
AccountStatus = TypeAliasType("AccountStatus", Literal["active", "inactive"])
Email = Annotated[str, Line(254), Field(description="name@domain")]
Phone = Annotated[str, Line(40), Field(pattern=r"^[0-9+() .\-]+$")]

_EXAMPLE = {
    "name": "Eastside Unified School District",
    "kind": "school_district",
    "contacts": [
        {
            "name": "Dana Reyes",
            "role": "Athletic director",
            "email": "dreyes@eastside.example",
            "phone": "+1 213 555 0142",
        }
    ],
    "service_lines": ["sports_clearance", "school_physical"],
}


class ContactIn(Strict):
    """A business contact at the account (never a patient)."""

    name: Text
    role: Annotated[str, Line(100)] | None = None
    email: Email | None = None
    phone: Phone | None = None


class AccountIn(Strict):
    model_config = example(_EXAMPLE)
    name: Text
    kind: AccountKind
    contacts: list[ContactIn] = Field(default_factory=list, max_length=MAX_CONTACTS)
    service_lines: list[ServiceLineCode] = Field(
        default_factory=list, max_length=10, description="The service lines the account buys"
    )

    def terms(self) -> AccountTerms:
        return AccountTerms(
            name=self.name,
            kind=self.kind,
            contacts=[contact.model_dump(exclude_none=True) for contact in self.contacts],
            service_lines=list(self.service_lines),
        )


class AccountRevisionIn(AccountIn):
    """The account as it now is: every term anew, and whether it takes new demand."""

    model_config = example({**_EXAMPLE, "status": "active"})
    status: AccountStatus


class ContactOut(BaseModel):
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None


class AccountRow(BaseModel):
    id: UUID
    name: str
    kind: str
    status: str = Field(description="active, or inactive: it takes no new demand")
    service_lines: list[str]
    contacts: list[ContactOut]


class AccountOut(AccountRow):
    version: int

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        return showing(
            cls, account, contacts=[ContactOut(**contact) for contact in account.contacts]
        )


class DemandRow(BaseModel):
    """A booking, event day, form or claim that names the account (no patient data)."""

    id: UUID
    demand: str = Field(description="appointment, event (an extra session), form or claim")
    demand_id: UUID = Field(description="The appointment's, session's, form's or claim's id")
    site_id: UUID
    on: date = Field(
        description="When named: the visit's or event's day, the form's receipt, the service"
    )


def _total(volume: dict[str, MonthVolume]) -> MonthVolume:
    total = MonthVolume("total")
    for figures in volume.values():
        total.add(figures)
    return total


def _amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


class VolumeFigures(BaseModel):
    visits_booked: int = Field(description="Visits starting in the period (not entered in error)")
    visits_completed: int = Field(description="Of those, fulfilled")
    visits_cancelled: int
    visits_no_show: int
    events: int = Field(description="Extra sessions (event days) held for the account")
    forms_requested: int = Field(description="Forms requested, by the day received")
    forms_delivered: int = Field(description="Of those, delivered")
    claims: int = Field(description="Claims naming the account, by the day of service")
    billed_amount: Decimal = Field(description="What those claims billed")
    collected_amount: Decimal = Field(description="What payers paid on them, less refunds")

    @staticmethod
    def figures(volume: MonthVolume) -> dict[str, object]:
        return {
            "visits_booked": volume.visits_booked,
            "visits_completed": volume.visits_completed,
            "visits_cancelled": volume.visits_cancelled,
            "visits_no_show": volume.visits_no_show,
            "events": volume.events,
            "forms_requested": volume.forms_requested,
            "forms_delivered": volume.forms_delivered,
            "claims": volume.claims,
            "billed_amount": _amount(volume.billed_cents),
            "collected_amount": _amount(volume.collected_cents),
        }


class MonthVolumeOut(VolumeFigures):
    month: str = Field(examples=["2027-01"])


REVENUE_BASIS = (
    "Revenue counts only the claims submitted naming the account (`account_id` of "
    "submitClaim), by their day of service: a claim names no booking, so one that does not "
    "name its account is not counted for any."
)


class AccountVolumeOut(BaseModel):
    account_id: UUID
    name: str
    from_month: str
    to_month: str
    months: list[MonthVolumeOut] = Field(description="Every month of the range, oldest first")
    totals: VolumeFigures
    revenue_basis: str = Field(default=REVENUE_BASIS)

    @classmethod
    def of(
        cls, account: Account, months: list[str], volume: dict[str, MonthVolume]
    ) -> AccountVolumeOut:
        rows = []
        for month in months:
            figures = volume.get(month, MonthVolume(month))
            rows.append(
                MonthVolumeOut.model_validate({"month": month, **VolumeFigures.figures(figures)})
            )
        return cls(
            account_id=account.id,
            name=account.name,
            from_month=months[0],
            to_month=months[-1],
            months=rows,
            totals=VolumeFigures.model_validate(VolumeFigures.figures(_total(volume))),
        )


class AccountTotalsRow(VolumeFigures):
    """One account's volume and revenue over the months asked for."""

    account_id: UUID
    name: str
    kind: str
    status: str

    @classmethod
    def of(cls, account: AccountRow, volume: dict[str, MonthVolume]) -> AccountTotalsRow:
        figures = VolumeFigures.figures(_total(volume))
        named = {"account_id": account.id, "name": account.name, "kind": account.kind}
        return cls.model_validate({**named, "status": account.status, **figures})
