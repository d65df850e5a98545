"""The audit-readiness KPI as served: the overall share, the table, the items not current."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from contracts.v1.audit_readiness import MonthFigure
from services.pc_governance.application.audit_readiness import Readiness
from services.pc_governance.domain.audit_readiness import plain, share
from services.pc_governance.domain.month_readiness import MonthReadiness

ReadinessCategory = TypeAliasType(
    "ReadinessCategory",
    Literal["protocols", "minutes", "credentials", "corrective_actions", "audit_chain", "meetings"],
)
Reason = Literal[
    "review_overdue",
    "minutes_not_approved_on_time",
    "credential_expired",
    "credential_unverified",
    "action_overdue",
    "action_closed_late",
    "chain_not_verified",
    "no_meeting_held",
]


class CategoryOut(BaseModel):
    category: ReadinessCategory
    required: int
    current: int
    share: float = Field(ge=0, le=1, description="current / required; 1 when none is required")


class ItemOut(BaseModel):
    """A required item that is not current (no patient data: ids, titles and days)."""

    category: ReadinessCategory
    id: str = Field(
        description="Protocol, meeting, credential or corrective-action id; for a month "
        "without a held meeting, the month (YYYY-MM)"
    )
    title: str
    due_on: date | None = Field(
        description="Review date, minutes due, expiry, action due, or a month's last day"
    )
    done_on: date | None = Field(
        description="When approved, verified, closed or (a month's meeting) held, if it was"
    )
    reason: Reason


class ChainOut(BaseModel):
    verifying: bool
    log_head: int
    sealed_position: int | None
    sealed_at: datetime | None
    detail: str


EXAMPLE: dict[str, Any] = {
    "as_of": "2026-12-03",
    "share": 0.8,
    "required": 5,
    "current": 4,
    "categories": [
        {"category": "protocols", "required": 1, "current": 1, "share": 1.0},
        {"category": "minutes", "required": 1, "current": 1, "share": 1.0},
        {"category": "credentials", "required": 1, "current": 0, "share": 0.0},
        {"category": "corrective_actions", "required": 1, "current": 1, "share": 1.0},
        {"category": "audit_chain", "required": 1, "current": 1, "share": 1.0},
    ],
    "not_current": [
        {
            "category": "credentials",
            "id": "3c1d8a52-7f0e-4a8e-9d0b-2b4f6c1e9a77",
            "title": "Dr Lee: dea",
            "due_on": "2026-11-30",
            "done_on": "2025-12-01",
            "reason": "credential_expired",
        }
    ],
    "chain": {
        "verifying": True,
        "log_head": 412,
        "sealed_position": 412,
        "sealed_at": "2026-12-03T09:00:01Z",
        "detail": "sealed to position 412; the last seal matches its record",
    },
}


class ReadinessFigures(BaseModel):
    """The KPI as of a day: overall, per category, and every item not current."""

    as_of: date
    share: float = Field(ge=0, le=1, description="current / required over every item")
    required: int
    current: int
    categories: list[CategoryOut]
    not_current: list[ItemOut]


class AuditReadinessOut(ReadinessFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    chain: ChainOut

    @classmethod
    def of(cls, readiness: Readiness) -> AuditReadinessOut:
        chain = readiness.chain
        return cls.model_validate(
            {
                **plain(readiness.kpi),
                "chain": {
                    "verifying": chain.verifying,
                    "log_head": chain.log_head,
                    "sealed_position": chain.sealed_position,
                    "sealed_at": chain.sealed_at,
                    "detail": chain.detail,
                },
            }
        )


class MonthReadinessOut(BaseModel):
    """A month's figure as published to the MSO (`audit-readiness.published` v1)."""

    month: str = Field(description="YYYY-MM", examples=["2026-11"])
    revision: int = Field(description="1, then one more each time the month is published")
    as_of: date = Field(description="The month's last day: the day the items were judged on")
    share: float = Field(ge=0, le=1, description="current / required; 1 when none is required")
    required: int
    current: int
    categories: list[CategoryOut]
    published_at: datetime

    @classmethod
    def of(cls, published: MonthReadiness, figure: MonthFigure) -> MonthReadinessOut:
        categories = [{**c, "share": share(c["current"], c["required"])} for c in figure.categories]
        return cls.model_validate(
            {
                "month": f"{published.month:%Y-%m}",
                "revision": published.revision,
                **asdict(figure),
                "categories": categories,
                "share": share(figure.current, figure.required),
            }
        )
