"""Request and response bodies of a site: proposal, readiness, pro forma, go-live, holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, computed_field
from typing_extensions import TypeAliasType

from mhg.bounded import DecimalText, Line, Prose
from mhg.views import showing
from services.mso_ops.api.schemas import Reason, ServiceLineCode, Strict, Text, example
from services.mso_ops.application.site_lifecycle import SiteLifecycleCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.readiness_standard import ChecklistStandard
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_readiness import readiness_share
from services.mso_ops.domain.site_time import MAX_ZONE_LENGTH

SiteKind = TypeAliasType("SiteKind", Literal["clinic", "campus", "community"])
# an item of the go-live readiness standard in force (the PC's, or the built-in seven)
ChecklistItemName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
]
Money = Annotated[
    Decimal,
    Field(ge=0, lt=1_000_000_000, decimal_places=2, examples=["85.00"]),
    DecimalText(9, 2),
]
LongText = Annotated[str, Prose(2000, min_length=1)]
Reference = Annotated[str, Line(200, min_length=1)]


class ProFormaLineIn(Strict):
    service_line: ServiceLineCode
    monthly_visits: int = Field(ge=0, le=1_000_000, examples=[120])
    revenue_per_visit: Money
    variable_cost_per_visit: Money


class ProFormaIn(Strict):
    """Expected demand and money of a month; the platform computes margin and payback."""

    lines: list[ProFormaLineIn] = Field(min_length=1, max_length=5)
    fixed_monthly_cost: Money
    startup_cost: Money

    model_config = example(
        {
            "lines": [
                {
                    "service_line": "sports_clearance",
                    "monthly_visits": 120,
                    "revenue_per_visit": "85.00",
                    "variable_cost_per_visit": "22.50",
                }
            ],
            "fixed_monthly_cost": "4200.00",
            "startup_cost": "18000.00",
        }
    )


TimeZoneName = Annotated[  # an IANA name's characters; whether the zone exists: the domain's
    str,
    StringConstraints(
        min_length=1, max_length=MAX_ZONE_LENGTH, pattern=r"^[A-Za-z][A-Za-z0-9_+/-]*$"
    ),
]
ZONE = "The site's IANA time zone: its days are judged there; none: UTC days, as before"


class SiteIn(Strict):
    name: Text = Field(examples=["Eastside High School campus"])
    kind: SiteKind
    address: Annotated[str, Line(500, min_length=1)]
    pro_forma: ProFormaIn | None = None
    time_zone: TimeZoneName | None = Field(
        default=None, description=ZONE, examples=["America/Los_Angeles"]
    )


class SiteTimeZoneIn(Strict):
    time_zone: TimeZoneName | None = Field(
        default=None, description=ZONE, examples=["America/Los_Angeles"]
    )


class ProFormaLineOut(BaseModel):
    service_line: str
    monthly_visits: int
    revenue_per_visit: Decimal
    variable_cost_per_visit: Decimal


class ProFormaOut(BaseModel):
    lines: list[ProFormaLineOut]
    fixed_monthly_cost: Decimal
    startup_cost: Decimal
    monthly_revenue: Decimal
    monthly_variable_cost: Decimal
    monthly_margin: Decimal = Field(description="Revenue less variable and fixed costs, a month")
    payback_months: int | None = Field(
        description="Whole months to repay the start-up cost; null when the margin never does"
    )


class EvidenceOut(BaseModel):
    met: bool
    recorded_by: str
    recorded_at: datetime
    document_ref: str | None
    note: str | None


class ChecklistItemOut(BaseModel):
    item: str
    met: bool
    evidence: EvidenceOut | None = Field(description="The latest evidence recorded; null if none")


class SiteHoldOut(BaseModel):
    by: Literal["mso", "pc"]
    reason: str


class OperatingTermOut(BaseModel):
    aspect: str
    value: str
    change_id: UUID
    authorization_id: UUID
    decision_id: UUID
    effective_date: date | None


class SiteOut(BaseModel):
    id: UUID
    name: str
    kind: str
    address: str
    status: str = Field(
        description="proposed, readying, submitted, approved, live, suspended or closed"
    )
    checklist: list[ChecklistItemOut]
    readiness_share: Decimal = Field(description="Share of the checklist met, 0 to 1")
    pro_forma: ProFormaOut | None
    go_live_request_id: UUID | None
    authorization_id: UUID | None = Field(description="The PC's go-live authorization")
    decision_id: UUID | None = Field(description="The PC decision that set the go-live status")
    effective_date: date | None
    conditions: list[str]
    denial_reason: str | None
    holds: list[SiteHoldOut]
    opened_on: date | None
    closure_reason: str | None
    operations: list[OperatingTermOut] = Field(
        description="Operating terms in force, each from a material change the PC approved"
    )
    version: int
    proposed_at: datetime
    time_zone: str | None = Field(
        default=None, description="The site's IANA time zone; null: its days are UTC days"
    )

    @classmethod
    def of(cls, site: Site, standard: ChecklistStandard) -> SiteOut:
        """The site, its checklist the items of the go-live `standard` it is counted against."""
        unmet = standard.unmet(site.checklist)
        checklist = []
        for item in standard.keys:
            evidence = site.checklist.get(item)
            checklist.append(
                ChecklistItemOut(
                    item=item,
                    met=item not in unmet,
                    evidence=EvidenceOut.model_validate(evidence, from_attributes=True)
                    if evidence
                    else None,
                )
            )
        return showing(
            cls,
            site,
            checklist=checklist,
            readiness_share=standard.share(site.checklist),
            pro_forma=ProFormaOut.model_validate(site.pro_forma.summary())
            if site.pro_forma
            else None,
            time_zone=site.time_zone,
            go_live_request_id=site.request_id,
            holds=[SiteHoldOut(by=by, reason=reason) for by, reason in sorted(site.holds.items())],
            operations=[
                OperatingTermOut(aspect=aspect, **term)
                for aspect, term in sorted(site.operations.items())
            ],
            proposed_at=site.created_on,
        )


def site_answer(sites: SiteCommands, site: Site) -> SiteOut:
    """A site as answered: its readiness counted against the go-live standard in force."""
    return SiteOut.of(site, sites.standards.site_go_live_counted())


def lifecycle_answer(lifecycle: SiteLifecycleCommands, site: Site) -> SiteOut:
    return site_answer(lifecycle.sites, site)


class SiteRow(BaseModel):
    id: UUID
    name: str
    kind: str
    address: str
    status: str
    proposed_at: datetime
    readiness_met: int = Field(description="Items of the go-live standard in force met")
    readiness_items: int = Field(exclude=True)  # the items of that standard
    monthly_margin: Decimal | None
    payback_months: int | None
    go_live_request_id: UUID | None
    authorization_id: UUID | None
    decision_id: UUID | None
    effective_date: date | None
    opened_on: date | None
    updated_at: datetime

    @computed_field(description="Share of the checklist met, 0 to 1")  # type: ignore[prop-decorator]
    @property
    def readiness_share(self) -> Decimal:
        return readiness_share(self.readiness_met, self.readiness_items)


class EvidenceIn(Strict):
    met: bool
    document_ref: Reference | None = Field(
        default=None, description="Required when met", examples=["LEASE-2026-014"]
    )
    note: LongText | None = Field(default=None, examples=["Signed by the district, 5 years"])


class EvidenceRow(BaseModel):
    site_id: UUID
    item: str
    met: bool
    recorded_by: str
    recorded_at: datetime
    document_ref: str | None
    note: str | None


class GoLiveRequestIn(Strict):
    summary: Annotated[str, Prose(4000, min_length=0)] = Field(
        examples=["Lease signed, staffed for the fall season, courier contracted"]
    )


class SiteReasonIn(Strict):
    reason: Reason = Field(examples=["Water damage in the exam rooms"])
