"""The PC's readiness standards as the MSO holds them, and a site judged against its own.

The checklist a go-live or a service line's authorization request must answer is the
standard in force (`domain/readiness_standard.py`): the PC's latest approved version of
its kind, or the built-in version 0 until the PC approves one. Nothing here changes a
standard: only the PC's feed does.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mhg.declared import shown
from mhg.views import showing
from services.mso_ops.api.dependencies import MsoReader, Sites, capability
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application.readiness_standards import ReadinessStandardCommands
from services.mso_ops.domain.readiness_standard import ChecklistStandard

router = APIRouter(tags=["readiness-standards"])

ReadinessStandards = Annotated[
    ReadinessStandardCommands, capability(lambda app: app.readiness_standards)
]


class StandardItemOut(BaseModel):
    key: str
    text: str
    evidence_required: bool


class StandardOut(BaseModel):
    kind: str
    service_line: str | None
    version: int = Field(description="0: the built-in checklist, until the PC approves one")
    standard_id: UUID | None = Field(description="The PC's standard; null for version 0")
    items: list[StandardItemOut]

    @classmethod
    def of(cls, standard: ChecklistStandard) -> StandardOut:
        items = [StandardItemOut.model_validate(i, from_attributes=True) for i in standard.items]
        return showing(cls, standard, items=items)


class ItemStateOut(StandardItemOut):
    met: bool = Field(description="Met as the standard asks (on a document where required)")
    document_ref: str | None


class SiteReadinessOut(BaseModel):
    site_id: UUID
    status: str
    standard: StandardOut = Field(description="The go-live standard in force")
    items: list[ItemStateOut] = Field(description="Each item of it, with the latest evidence")
    missing: list[str] = Field(description="Items a go-live request would be refused for")
    judged_against: dict[str, Any] | None = Field(
        description="The standard the site's latest go-live request was judged against"
    )


@shown(
    router,
    "/readiness-standards/site-go-live",
    "getGoLiveStandardInForce",
    MsoReader,
    versioned=False,
)
def go_live_standard(standards: ReadinessStandards) -> StandardOut:
    """The readiness standard a site's go-live request is judged against now"""
    return StandardOut.of(standards.site_go_live_standard())


@shown(
    router,
    "/readiness-standards/service-lines/{code}",
    "getServiceLineStandardInForce",
    MsoReader,
    versioned=False,
)
def service_line_standard(code: ServiceLineCode, standards: ReadinessStandards) -> StandardOut:
    """The readiness standard a service line's authorization request is judged against now"""
    return StandardOut.of(standards.service_line_standard(code))


@shown(router, "/sites/{site_id}/readiness", "getSiteReadiness", MsoReader, versioned=False)
def site_readiness(site_id: UUID, sites: Sites) -> SiteReadinessOut:
    """A site's checklist judged against the go-live standard in force"""
    site = sites.site(site_id)
    standard = sites.standards.site_go_live_standard()
    unmet = standard.unmet(site.checklist)
    items = []
    for item in standard.items:
        evidence = site.checklist.get(item.key)
        items.append(
            ItemStateOut(
                key=item.key,
                text=item.text,
                evidence_required=item.evidence_required,
                met=item.key not in unmet,
                document_ref=None if evidence is None else evidence.document_ref,
            )
        )
    return SiteReadinessOut(
        site_id=site.id,
        status=site.status,
        standard=StandardOut.of(standard),
        items=items,
        missing=unmet,
        judged_against=site.judged_against,
    )
