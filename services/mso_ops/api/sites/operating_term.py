"""A site's operating term as the PC approved it: what schedules and staffing are judged
against (domain/operating_term.py, ADR 0026). Nothing here changes a term: only a
material change the PC approves, through its feed, does."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mhg.bounded import Day
from mhg.declared import shown
from services.mso_ops.api.dependencies import MsoReader, Sites, capability
from services.mso_ops.application import clock
from services.mso_ops.application.operating_terms import OperatingTerms
from services.mso_ops.domain.operating_term import STRUCTURED, TermInForce, rendered

router = APIRouter(tags=["sites"])

Terms = Annotated[OperatingTerms, capability(lambda app: app.operating_terms)]


class ApprovedTermOut(BaseModel):
    aspect: str = Field(description="hours or staffing_model")
    change_id: UUID = Field(description="The material change the PC approved it on")
    effective_date: date
    term: dict[str, Any] = Field(description="The structured term, as the change proposed it")
    text: str = Field(description="The term in words")

    @classmethod
    def of(cls, term: TermInForce) -> ApprovedTermOut:
        return cls(
            aspect=term.aspect,
            change_id=UUID(term.change_id),
            effective_date=term.effective_date,
            term=term.term,
            text=rendered(term.aspect, term.term),
        )


class HeldTermOut(ApprovedTermOut):
    in_force: bool = Field(description="False once the PC suspended or revoked the change")


class SiteOperatingTermOut(BaseModel):
    site_id: UUID
    on: date
    in_force: list[ApprovedTermOut] = Field(
        description=(
            "The term of each aspect in force on the day; an aspect not listed has no "
            "structured term yet, and nothing is judged against it"
        )
    )
    approved: list[HeldTermOut] = Field(description="Every term the PC approved, in order")


@shown(
    router, "/sites/{site_id}/operating-term", "getSiteOperatingTerm", MsoReader, versioned=False
)
def operating_term(
    site_id: UUID,
    sites: Sites,
    terms: Terms,
    on: Annotated[Day | None, Query(description="The day to show (default: today)")] = None,
) -> SiteOperatingTermOut:
    """The days, hours and staffing model the PC approved at a site, in force on a day"""
    site = sites.site(site_id)  # a site that does not exist: 404
    day = on or clock.today_at(site.time_zone)
    held = terms.of_site(site_id)
    in_force = [] if held is None else [held.in_force(aspect, day) for aspect in STRUCTURED]
    history = [] if held is None else held.history()
    return SiteOperatingTermOut(
        site_id=site_id,
        on=day,
        in_force=[ApprovedTermOut.of(term) for term in in_force if term is not None],
        approved=[
            HeldTermOut(**ApprovedTermOut.of(term).model_dump(), in_force=current)
            for term, current in history
        ],
    )
