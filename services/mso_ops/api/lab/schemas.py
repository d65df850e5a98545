"""Request and response bodies of the reference lab and courier API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints
from typing_extensions import TypeAliasType

from mhg.bounded import Instant
from mhg.views import showing
from services.mso_ops.api.schemas import Reason, ServiceLineCode, Strict, Text, example
from services.mso_ops.domain.courier_run import MAX_MANIFEST, CourierRun
from services.mso_ops.domain.specimen import Specimen

SpecimenStatus = Literal[
    "awaiting_pickup", "on_run", "in_transit", "at_lab", "result_received", "result_released"
]
CourierRunStatus = Literal["planned", "departed", "delivered", "cancelled"]
OverdueStage = TypeAliasType("OverdueStage", Literal["pickup", "delivery", "result", "release"])
SpecimenReference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    ),
]
StepAt = Annotated[
    Instant | None,
    Field(description="When it happened (with a UTC offset); now if omitted"),
]


class SpecimenPickupIn(Strict):
    site_id: UUID
    service_line: ServiceLineCode = Field(description="The service line of the visit")
    reference: SpecimenReference = Field(
        description="The specimen's label or accession number: an identifier, never clinical "
        "content (no test names, no findings)",
        examples=["EHS-2027-000123"],
    )
    collected_at: Instant = Field(examples=["2027-01-11T09:40:00-08:00"])


class ResultReceivedIn(Strict):
    model_config = example({"at": "2027-01-12T14:10:00-08:00"})
    at: StepAt = None


class ResultReleasedIn(Strict):
    model_config = example(
        {
            "clinician_id": "6f2d0c7e-2f7c-4d7a-9a64-1f3e0b8c5d21",
            "at": "2027-01-12T17:45:00-08:00",
        }
    )
    clinician_id: UUID | None = Field(
        default=None,
        description="The PC clinician the result is released to: the caller's own id",
    )
    at: StepAt = None


class CourierRunIn(Strict):
    site_id: UUID
    courier_vendor: Text = Field(examples=["Bay Courier Co."])
    lab: Text = Field(description="The reference lab the run delivers to", examples=["Quest SF"])
    specimen_ids: list[UUID] = Field(
        min_length=1,
        max_length=MAX_MANIFEST,
        description="The manifest: specimens at the site, each awaiting pickup",
    )


class CourierStepIn(Strict):
    model_config = example({"at": "2027-01-11T11:30:00-08:00"})
    at: StepAt = None


class CancelRunIn(Strict):
    model_config = example(
        {"reason": "Courier vehicle broke down; specimens moved to the afternoon run"}
    )
    reason: Reason


class SpecimenLog(BaseModel):
    """What a specimen's answer and its list row both show: where it is from, where it stands."""

    id: UUID
    site_id: UUID
    service_line: str
    reference: str
    status: str
    run_id: UUID | None
    collected_at: datetime
    logged_at: datetime


class SpecimenOut(SpecimenLog):
    departed_at: datetime | None
    delivered_at: datetime | None
    lab: str | None
    result_received_at: datetime | None
    result_released_at: datetime | None
    released_to: UUID | None = Field(description="The clinician the result was released to")
    version: int

    @classmethod
    def of(cls, s: Specimen) -> SpecimenOut:
        return showing(cls, s, logged_at=s.created_on)


class SpecimenRow(SpecimenLog):
    put_on_run_at: datetime | None
    departed_at: datetime | None
    delivered_at: datetime | None
    lab: str | None
    result_received_at: datetime | None
    result_released_at: datetime | None
    released_to: UUID | None
    receipt_seconds: int | None = Field(description="Collection -> result received")
    release_seconds: int | None = Field(description="Result received -> released")
    cycle_seconds: int | None = Field(description="Collection -> result released")


class OverdueSpecimenRow(SpecimenRow):
    stage: OverdueStage = Field(description="What the specimen is waiting for")
    waiting_since: datetime
    hours_waiting: float
    threshold_hours: int


class CourierRunOut(BaseModel):
    id: UUID
    site_id: UUID
    courier_vendor: str
    lab: str
    status: str
    specimen_ids: list[UUID]
    planned_at: datetime
    departed_at: datetime | None
    delivered_at: datetime | None
    cancellation_reason: str | None
    version: int

    @classmethod
    def of(cls, run: CourierRun) -> CourierRunOut:
        return showing(cls, run, specimen_ids=run.manifest, planned_at=run.created_on)


class CourierRunRow(BaseModel):
    id: UUID
    site_id: UUID
    courier_vendor: str
    lab: str
    status: str
    specimen_count: int
    planned_at: datetime
    departed_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
