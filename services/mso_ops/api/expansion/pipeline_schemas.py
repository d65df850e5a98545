"""Bodies of the expansion pipeline: a prospective site and the steps of seed 003."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import Day, Line, Prose
from mhg.views import showing
from services.mso_ops.api.schemas import Reason, Strict, Text, example
from services.mso_ops.api.sites.schemas import ProFormaOut, SiteKind
from services.mso_ops.application.expansion import ExpansionCommands
from services.mso_ops.domain.prospect import ProspectiveSite

Stage = Literal[
    "identified",
    "market_assessed",
    "shortlisted",
    "pro_forma",
    "endorsed",
    "converted",
    "declined",
    "withdrawn",
]
AccountKind = Literal["school_district", "team", "employer", "community_program", "other"]
LongText = Annotated[str, Prose(2000, min_length=1)]
Reference = Annotated[str, Line(200, min_length=1)]


class ProspectIn(Strict):
    name: Text
    kind: SiteKind
    area: Annotated[str, Line(500, min_length=1)] = Field(description="Where: town, district")
    rationale: LongText = Field(description="Why here: the medical staff plan it serves")

    model_config = example(
        {
            "name": "Westfield campus clinic",
            "kind": "campus",
            "area": "Westfield Unified, north county",
            "rationale": "No sports clearance within 20 miles; district asked for one",
        }
    )


class MarketIn(Strict):
    summary: LongText = Field(description="What physicians there have, and from whom")
    services_nearby: list[Text] = Field(default_factory=list, max_length=20)
    document_ref: Reference | None = None

    model_config = example(
        {
            "summary": "Two family practices, no sports medicine; the hospital runs no clinic",
            "services_nearby": ["Westfield Family Practice", "urgent care (county road)"],
            "document_ref": "MKT-2026-04",
        }
    )


class ShortlistAccountIn(Strict):
    name: Text = Field(description="The likely customer, named even before it is an account")
    kind: AccountKind
    account_id: UUID | None = Field(default=None, description="Its account, once it has one")
    note: Annotated[str, Line(500, min_length=1)] | None = None

    model_config = example(
        {"name": "Westfield Unified School District", "kind": "school_district", "note": "AD"}
    )


class BoardReviewIn(Strict):
    held_on: Day
    outcome: Literal["endorsed", "returned", "declined"]
    minutes_ref: Reference
    note: Annotated[str, Line(500, min_length=1)] | None = None

    model_config = example(
        {"held_on": "2026-08-12", "outcome": "endorsed", "minutes_ref": "BOARD-2026-08"}
    )


class ConversionIn(Strict):
    address: Annotated[str, Line(500, min_length=1)] = Field(description="The site's address")

    model_config = example({"address": "400 Campus Dr, Westfield"})


class WithdrawalIn(Strict):
    reason: Reason

    model_config = example({"reason": "The district chose another provider"})


class MarketOut(BaseModel):
    summary: str
    services_nearby: list[str]
    document_ref: str | None
    assessed_by: str
    assessed_at: datetime


class ProspectiveAccountOut(BaseModel):
    name: str
    kind: str
    account_id: UUID | None
    note: str | None
    added_by: str
    added_at: datetime


class BoardReviewOut(BaseModel):
    held_on: date
    outcome: str
    minutes_ref: str
    note: str | None
    recorded_by: str


class SiteGoLiveOut(BaseModel):
    """Where the site a prospect became stands on its way to go-live; the PC decides it."""

    site_id: UUID
    status: str
    go_live_request_id: UUID | None
    authorization_id: UUID | None
    decision_id: UUID | None = Field(description="The PC decision that set the go-live status")
    effective_date: date | None


class ProspectOut(BaseModel):
    id: UUID
    name: str
    kind: str
    area: str
    rationale: str
    stage: str = Field(
        description="identified, market_assessed, shortlisted, pro_forma, endorsed; then "
        "converted (a proposed site), declined or withdrawn"
    )
    market: MarketOut | None
    accounts: list[ProspectiveAccountOut]
    pro_forma: ProFormaOut | None
    board_reviews: list[BoardReviewOut]
    site: SiteGoLiveOut | None = Field(description="The proposed site it became, if converted")
    closing_reason: str | None
    identified_at: datetime
    version: int

    @classmethod
    def of(cls, expansion: ExpansionCommands, prospect: ProspectiveSite) -> ProspectOut:
        site = expansion.site_of(prospect)
        return showing(
            cls,
            prospect,
            market=MarketOut.model_validate(prospect.market, from_attributes=True)
            if prospect.market
            else None,
            accounts=[
                ProspectiveAccountOut.model_validate(a, from_attributes=True)
                for a in prospect.accounts
            ],
            pro_forma=ProFormaOut.model_validate(prospect.pro_forma.summary())
            if prospect.pro_forma
            else None,
            board_reviews=[
                BoardReviewOut.model_validate(r, from_attributes=True) for r in prospect.reviews
            ],
            site=None
            if site is None
            else showing(SiteGoLiveOut, site, site_id=site.id, go_live_request_id=site.request_id),
        )


class ProspectRow(BaseModel):
    id: UUID
    name: str
    kind: str
    area: str
    stage: str
    account_count: int
    has_market: bool
    has_pro_forma: bool
    board_outcome: str | None
    board_held_on: date | None
    site_id: UUID | None
    identified_at: datetime
    updated_at: datetime
