"""The audit packet's visit-template versions: the volume and hours the PC had approved.

The terms and the retirement have the shape the visit-template routes serve.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.pc_governance.api.document_schemas import RetirementOut
from services.pc_governance.api.visit_templates.schemas import TermsOut


class PacketVisitTemplateVersion(BaseModel):
    template_id: UUID
    version: int
    status: str = Field(description="At the period's end: approved, superseded or retired")
    terms: TermsOut
    effective_from: date
    ended_on: date | None = Field(description="The first day it is no longer in force")
    decision_id: UUID = Field(description="The Medical Director's approval of this version")
    basis: dict[str, str]
    approved_by: str
    approved_at: datetime
    retirement: RetirementOut | None = Field(
        description="The template's retirement, when decided before the period's end"
    )
