"""The expansion pipeline: a prospective site through seed 003's steps, into a proposed site.

Each step is an event on the prospect. Conversion proposes the site (the existing site
proposal, carrying the endorsed pro forma); from there the site's go-live is requested by
the MSO and decided by the PC, and the prospect shows where that stands.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter

from mhg.creation import recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps
from services.mso_ops.api.dependencies import MsoAdmin, MsoReader, capability
from services.mso_ops.api.expansion.pipeline_schemas import (
    BoardReviewIn,
    ConversionIn,
    MarketIn,
    ProspectIn,
    ProspectOut,
    ProspectRow,
    ShortlistAccountIn,
    Stage,
    WithdrawalIn,
)
from services.mso_ops.api.sites.schemas import ProFormaIn, SiteKind
from services.mso_ops.application.expansion import ExpansionCommands
from services.mso_ops.projections.expansion import PROSPECTS

router = APIRouter(tags=["expansion"])

Expansion = Annotated[ExpansionCommands, capability(lambda app: app.expansion)]

PROSPECT = Steps(
    router, "/expansion/prospects/{prospect_id}", Expansion, ProspectOut.of, asks_capability=True
)
PROSPECT.created(
    "identifyProspect",
    "Identify a prospective site: where, and why",
    ProspectIn,
    MsoAdmin,
    lambda expansion: expansion.identify_prospect,
    (401, 403, 422),
    find=lambda expansion: recorded(expansion.prospect_exists, expansion.prospect),
)
PROSPECT.shown(
    "getProspect",
    "One prospective site: market, short list, pro forma, board reviews, the site it became",
    MsoReader,
    lambda expansion: expansion.prospect,
)
PROSPECT.step(
    "market",
    "assessProspectMarket",
    "Record the market assessment: the services physicians there already have",
    MarketIn,
    MsoAdmin,
    lambda expansion: expansion.assess_prospect_market,
)
PROSPECT.step(
    "accounts",
    "shortlistProspectAccount",
    "Add a likely customer to the short list (by name; its account id when it has one)",
    ShortlistAccountIn,
    MsoAdmin,
    lambda expansion: expansion.shortlist_prospect_account,
    description="Refused with 409 `invalid-prospect-step` when the name or account is listed.",
)
PROSPECT.step(
    "pro-forma",
    "setProspectProForma",
    "Set the prospect's pro forma (the figures a proposed site carries)",
    ProFormaIn,
    MsoAdmin,
    lambda expansion: expansion.set_prospect_pro_forma,
    description="A change after the board endorsed the case sets the endorsement aside.",
)
PROSPECT.step(
    "board-review",
    "reviewProspect",
    "Record the consumer-physician board's review: endorsed, returned or declined",
    BoardReviewIn,
    MsoAdmin,
    lambda expansion: expansion.review_prospect,
    description=(
        "The board reviews a complete case: refused with 409 `invalid-prospect-step` "
        "(naming what is `missing`) without a market assessment, a short list and a pro "
        "forma. This is the MSO's board, not the PC: the site's go-live stays the PC's."
    ),
)
PROSPECT.step(
    "conversion",
    "convertProspect",
    "Convert an endorsed prospect into a proposed site, with its pro forma",
    ConversionIn,
    MsoAdmin,
    lambda expansion: expansion.convert_prospect,
    description=(
        "Proposes the site (as `POST /sites` does) and records the conversion in the same "
        "save. The site's go-live is then requested and decided on the site's own routes."
    ),
)
PROSPECT.step(
    "withdrawal",
    "withdrawProspect",
    "Withdraw a prospect from the pipeline",
    WithdrawalIn,
    MsoAdmin,
    lambda expansion: expansion.withdraw_prospect,
)


@listed(router, "/expansion/prospects", "listProspects", Listing(PROSPECTS, ProspectRow), MsoReader)
def list_prospects(
    stage: Stage | None = None, kind: SiteKind | None = None, account_id: UUID | None = None
) -> None:
    """Prospective sites in the order identified; by stage, kind, or an account shortlisted"""
