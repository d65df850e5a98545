"""Request and response bodies of booking: slots, holds, bookings and appointment steps."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.views import showing
from services.mso_ops.api.schemas import (
    PatientIn,
    Reason,
    Strict,
    Text,
    account_named,
    example,
)
from services.mso_ops.domain.slot import (
    CLOSED,
    DEFAULT_HOLD_SECONDS,
    MAX_HOLD_SECONDS,
    MIN_HOLD_SECONDS,
    Slot,
)

SlotStatus = TypeAliasType("SlotStatus", Literal["free", "busy", "closed", "unavailable"])


class SlotRow(BaseModel):
    """A slot as FHIR Slot means it: free while a place is left, busy when none is.

    `unavailable` while its places cannot be taken (the site is not live, or the PC's
    authorization of the line is not in force on its day): `unavailable_reason` is the
    problem type a hold or booking would get.
    """

    id: UUID
    schedule_id: UUID
    site_id: UUID
    service_line: str
    start: datetime
    end: datetime
    minutes: int
    capacity: int
    booked: int
    held: int = Field(description="Places held by running holds")
    available: int
    status: SlotStatus
    unavailable_reason: str | None = Field(
        default=None,
        description="Why no place can be taken now: the problem type a hold or booking gets",
        examples=["service-line-not-authorized"],
    )

    @staticmethod
    def status_of(open_: bool, available: int, refused: str | None = None) -> SlotStatus:
        if not open_:
            return "closed"
        if refused is not None:
            return "unavailable"
        return "free" if available > 0 else "busy"


class SlotOut(SlotRow):
    version: int

    @classmethod
    def of(cls, slot: Slot, at: datetime, refused: str | None = None) -> SlotOut:
        available = max(slot.available_at(at), 0)
        status = cls.status_of(slot.status != CLOSED, available, refused)
        return showing(
            cls,
            slot,
            booked=len(slot.appointments),
            held=slot.held_at(at),
            available=available,
            status=status,
            unavailable_reason=refused if status == "unavailable" else None,
        )


class HoldIn(Strict):
    model_config = example({"seconds": 300})
    seconds: int = Field(
        default=DEFAULT_HOLD_SECONDS,
        ge=MIN_HOLD_SECONDS,
        le=MAX_HOLD_SECONDS,
        description="How long the place is held; it is free again after that",
    )


class BookIn(Strict):
    hold_id: UUID | None = Field(default=None, description="Your running hold on the slot")
    patient: PatientIn
    requested_by: Text | None = Field(
        default=None,
        description="The school, team or employer that asked for the form",
        examples=["Eastside HS athletics"],
    )
    account_id: UUID | None = account_named()


class RescheduleIn(Strict):
    slot_id: UUID = Field(description="A slot of the same service line at the same site")
    hold_id: UUID | None = Field(default=None, description="Your running hold on that slot")
    reason: Reason = Field(examples=["Patient asked for a later time"])


class OutcomeIn(Strict):
    model_config = example({"outcome": "fulfilled"})
    outcome: Literal["fulfilled", "no_show"]


class EnteredInErrorIn(Strict):
    reason: Reason = Field(examples=["Booked twice for the same patient"])
