"""A prospective site in the expansion pipeline: the steps of seed 003, each on the record.

Identified with its area and why; the market assessed (what physicians there already
have, from the health system and the marketplace); a short list of likely customers
(schools, teams, employers, community programs: named, and linked to an account when one
exists); a pro forma at a cost-recapture level; a review by the board of consumer
physicians that monitors the MSO. An endorsed prospect is converted into a proposed site,
from where the site's own go-live path runs: the MSO asks, the PC decides. Nothing here
decides a go-live; the prospect only points at the site whose decision it is.

A change to the market, the short list or the pro forma after an endorsement sets the
endorsement aside: the board reviews what it endorses. Converted, declined and withdrawn
are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.expansion_errors import InvalidProspectStep
from services.mso_ops.domain.pro_forma import ProForma

IDENTIFIED = "identified"
MARKET_ASSESSED = "market_assessed"
SHORTLISTED = "shortlisted"
PRO_FORMA = "pro_forma"
ENDORSED = "endorsed"
CONVERTED = "converted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
STAGES = (IDENTIFIED, MARKET_ASSESSED, SHORTLISTED, PRO_FORMA, ENDORSED, CONVERTED)
FINAL = frozenset({CONVERTED, DECLINED, WITHDRAWN})
OUTCOMES = {"endorsed": ENDORSED, "declined": DECLINED, "returned": None}
MAX_ACCOUNTS = 50


@dataclass(frozen=True)
class Market:
    summary: str
    services_nearby: tuple[str, ...]
    document_ref: str | None
    assessed_by: str
    assessed_at: datetime


@dataclass(frozen=True)
class ProspectiveAccount:
    name: str
    kind: str
    account_id: UUID | None
    note: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class BoardReview:
    held_on: date
    outcome: str
    minutes_ref: str
    note: str | None
    recorded_by: str


class ProspectiveSite(Aggregate):
    class Identified(Aggregate.Created):
        name: str
        kind: str
        area: str
        rationale: str
        at: datetime
        meta: Meta

    @event(Identified)
    def __init__(
        self, id: UUID, name: str, kind: str, area: str, rationale: str, at: datetime, meta: Meta
    ) -> None:
        self.name = name
        self.kind = kind
        self.area = area
        self.rationale = rationale
        self.identified_at = at
        self.stage = IDENTIFIED
        self.market: Market | None = None
        self.accounts: list[ProspectiveAccount] = []
        self.pro_forma: ProForma | None = None
        self.reviews: list[BoardReview] = []
        self.endorsed = False
        self.site_id: UUID | None = None
        self.closing_reason: str | None = None

    def _open(self, step: str) -> None:
        if self.stage in FINAL:
            raise InvalidProspectStep(f"{self.name} is {self.stage}: no {step}")

    def _working_stage(self, *, market: bool = False) -> str:
        """Where the steps before a review have got to (an endorsement set aside)."""
        if self.pro_forma is not None:
            return PRO_FORMA
        if self.accounts:
            return SHORTLISTED
        return MARKET_ASSESSED if market or self.market is not None else IDENTIFIED

    class MarketAssessed(Aggregate.Event):
        summary: str
        services_nearby: list[str]
        document_ref: str | None
        stage: str
        at: datetime
        meta: Meta

    def assess_market(
        self,
        *,
        summary: str,
        services_nearby: list[str],
        document_ref: str | None,
        at: datetime,
        meta: Meta,
    ) -> None:
        self._open("market assessment")
        self._market_assessed(
            summary, services_nearby, document_ref, self._working_stage(market=True), at, meta
        )

    @event(MarketAssessed)
    def _market_assessed(
        self,
        summary: str,
        services_nearby: list[str],
        document_ref: str | None,
        stage: str,
        at: datetime,
        meta: Meta,
    ) -> None:
        self.market = Market(summary, tuple(services_nearby), document_ref, meta.actor_id, at)
        self.stage, self.endorsed = stage, False

    class AccountShortlisted(Aggregate.Event):
        name: str
        kind: str
        account_id: UUID | None
        note: str | None
        stage: str
        at: datetime
        meta: Meta

    def shortlist_account(
        self,
        *,
        name: str,
        kind: str,
        account_id: UUID | None,
        note: str | None,
        at: datetime,
        meta: Meta,
    ) -> None:
        self._open("short list")
        if any(a.name.casefold() == name.casefold() for a in self.accounts):
            raise InvalidProspectStep(f"{name} is on the short list already")
        if account_id is not None and any(a.account_id == account_id for a in self.accounts):
            raise InvalidProspectStep(f"account {account_id} is on the short list already")
        if len(self.accounts) >= MAX_ACCOUNTS:
            raise InvalidProspectStep(f"a short list holds at most {MAX_ACCOUNTS} accounts")
        stage = PRO_FORMA if self.pro_forma is not None else SHORTLISTED
        self._account_shortlisted(name, kind, account_id, note, stage, at, meta)

    @event(AccountShortlisted)
    def _account_shortlisted(
        self,
        name: str,
        kind: str,
        account_id: UUID | None,
        note: str | None,
        stage: str,
        at: datetime,
        meta: Meta,
    ) -> None:
        self.accounts.append(ProspectiveAccount(name, kind, account_id, note, meta.actor_id, at))
        self.stage, self.endorsed = stage, False

    class ProFormaSet(Aggregate.Event):
        pro_forma: dict[str, Any]
        stage: str
        at: datetime
        meta: Meta

    def set_pro_forma(self, *, figures: ProForma, at: datetime, meta: Meta) -> None:
        self._open("pro forma")
        self._pro_forma_set(figures.as_dict(), PRO_FORMA, at, meta)

    @event(ProFormaSet)
    def _pro_forma_set(
        self, pro_forma: dict[str, Any], stage: str, at: datetime, meta: Meta
    ) -> None:
        self.pro_forma = ProForma.from_dict(pro_forma)
        self.stage, self.endorsed = stage, False

    class BoardReviewed(Aggregate.Event):
        held_on: date
        outcome: str
        minutes_ref: str
        note: str | None
        stage: str
        at: datetime
        meta: Meta

    def review(
        self,
        *,
        held_on: date,
        outcome: str,
        minutes_ref: str,
        note: str | None,
        at: datetime,
        meta: Meta,
    ) -> None:
        """The board reviews the whole case: market, short list and pro forma."""
        self._open("board review")
        missing = [
            name
            for name, there in (
                ("market assessment", self.market is not None),
                ("short list of customers", bool(self.accounts)),
                ("pro forma", self.pro_forma is not None),
            )
            if not there
        ]
        if missing:
            raise InvalidProspectStep(
                f"the board reviews a complete case; missing: {', '.join(missing)}",
                missing=missing,
            )
        stage = OUTCOMES[outcome] or self._working_stage()
        self._reviewed(held_on, outcome, minutes_ref, note, stage, at, meta)

    @event(BoardReviewed)
    def _reviewed(
        self,
        held_on: date,
        outcome: str,
        minutes_ref: str,
        note: str | None,
        stage: str,
        at: datetime,
        meta: Meta,
    ) -> None:
        self.reviews.append(BoardReview(held_on, outcome, minutes_ref, note, meta.actor_id))
        self.stage, self.endorsed = stage, stage == ENDORSED

    class ConvertedToSite(Aggregate.Event):
        site_id: UUID
        stage: str
        at: datetime
        meta: Meta

    def convert(self, *, site_id: UUID, at: datetime, meta: Meta) -> None:
        """Into a proposed site: only once the board endorsed the case as it stands."""
        self._open("conversion")
        if not self.endorsed:
            raise InvalidProspectStep(f"{self.name} needs the board's endorsement first")
        self._converted(site_id, CONVERTED, at, meta)

    @event(ConvertedToSite)
    def _converted(self, site_id: UUID, stage: str, at: datetime, meta: Meta) -> None:
        self.site_id, self.stage = site_id, stage

    class Withdrawn(Aggregate.Event):
        reason: str
        stage: str
        at: datetime
        meta: Meta

    def withdraw(self, *, reason: str, at: datetime, meta: Meta) -> None:
        self._open("withdrawal")
        self._withdrawn(reason, WITHDRAWN, at, meta)

    @event(Withdrawn)
    def _withdrawn(self, reason: str, stage: str, at: datetime, meta: Meta) -> None:
        self.closing_reason, self.stage = reason, stage
