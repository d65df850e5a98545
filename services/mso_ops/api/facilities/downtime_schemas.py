"""Request and response bodies of site downtime windows and their monthly minutes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import Instant
from mhg.views import View
from services.mso_ops.api.schemas import Reason, Strict, example


class DowntimeIn(Strict):
    site_id: UUID
    start: Instant = Field(examples=["2027-01-12T09:00:00-08:00"])
    end: Instant | None = Field(default=None, description="Omit while the site is still down")
    cause: Reason = Field(examples=["Power outage"])
    incident_id: UUID | None = Field(default=None, description="The facility incident behind it")


class EndDowntimeIn(Strict):
    model_config = example({"end": "2027-01-12T13:30:00-08:00"})
    end: Instant


class DowntimeOut(View):
    id: UUID
    site_id: UUID
    start: datetime
    end: datetime | None
    cause: str
    incident_id: UUID | None
    status: str = Field(description="open, closed or withdrawn")
    withdrawal_reason: str | None
    version: int


class DowntimeRow(BaseModel):
    id: UUID
    site_id: UUID
    day: date
    start: datetime
    end: datetime | None
    cause: str
    incident_id: UUID | None
    status: str
    minutes: int | None


class DowntimeMonthRow(BaseModel):
    site_id: UUID
    month: str = Field(description="YYYY-MM, in the offset each window was recorded with")
    minutes: int = Field(description="Whole minutes the site was down in the month")
    windows: int
