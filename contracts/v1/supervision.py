"""Supervision messages, major version 1.

The supervision rules the MSO must staff to, decided by the PC: how many APPs one
physician may supervise, the share of an APP's charts the physician reviews, and
who supervises whom from when to when.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel


@dataclass(frozen=True)
class PublishedRules:
    """The supervision structure as published, as each side keeps it: what
    `supervision.rules-published` carries (its assignments as plain mappings)."""

    max_apps_per_physician: int
    chart_review_share_percent: int
    assignments: list[dict[str, Any]]
    published_at: datetime


class SupervisionAssignment(ContractModel):
    assignment_id: UUID
    app_id: UUID
    physician_id: UUID
    effective_from: date
    effective_to: date | None = Field(default=None, description="Last day; null when open")


class SupervisionRulesPublishedV1(ContractMessage):
    """The whole structure as of `published_at`; each message replaces the previous one.

    `assignments` lists every assignment that had not ended before the day it was
    published (in force or starting later).
    """

    TYPE: ClassVar[str] = "supervision.rules-published"
    VERSION: ClassVar[int] = 1

    max_apps_per_physician: int = Field(ge=1, le=100)
    chart_review_share_percent: int = Field(ge=0, le=100)
    assignments: list[SupervisionAssignment] = Field(max_length=10000)
    published_at: AwareDatetime
