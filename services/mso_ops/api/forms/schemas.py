"""Request and response bodies of documentation operations (clearance and physical forms)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Day, Instant
from mhg.views import showing
from services.mso_ops.api.schemas import (
    PatientIn,
    PatientOut,
    Reason,
    ServiceLineCode,
    Strict,
    Text,
    account_named,
    example,
)
from services.mso_ops.domain.form import Form

FormKind = TypeAliasType(
    "FormKind",
    Literal[
        "sports_clearance",
        "school_clearance",
        "school_physical",
        "community_physical",
        "employment_physical",
    ],
)
FormStatus = Literal["requested", "prepared", "signed", "delivered", "cancelled"]
OpenFormStatus = Literal["requested", "prepared", "signed"]
RequesterKind = TypeAliasType("RequesterKind", Literal["school", "team", "employer"])
DeliveryMethod = Literal["email", "portal", "fax", "mail", "in_person"]
StepAt = Annotated[
    Instant | None,
    Field(description="When it happened (with a UTC offset); now if omitted"),
]


class RequesterIn(Strict):
    kind: RequesterKind
    name: Text = Field(examples=["Eastside High School athletics"])


class FormRequestIn(Strict):
    site_id: UUID
    service_line: ServiceLineCode = Field(
        description="The service line the form is for (its appointment's, if it names one)"
    )
    kind: FormKind
    requested_by: RequesterIn
    patient: PatientIn
    appointment_id: UUID | None = Field(
        default=None, description="The appointment the form is for, if any (at the same site)"
    )
    due_on: Day = Field(description="When the requester needs the form", examples=["2027-08-15"])
    received_at: StepAt = None
    account_id: UUID | None = account_named()

    def arguments(self) -> dict[str, Any]:
        """The request as `request_form` names its parts: the requester's, the patient's."""
        return {
            **self.model_dump(exclude={"requested_by", "patient"}),
            "requester_kind": self.requested_by.kind,
            "requester_name": self.requested_by.name,
            "patient": self.patient.model_dump(mode="json"),
        }

    model_config = example(
        {
            "site_id": "0b6c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
            "service_line": "sports_clearance",
            "kind": "sports_clearance",
            "requested_by": {"kind": "school", "name": "Eastside High athletics"},
            "patient": {
                "name": "Pat Doe",
                "date_of_birth": "2010-04-01",
                "contact": "555-0100",
            },
            "due_on": "2027-08-15",
        }
    )


class FormStepIn(Strict):
    model_config = example({"at": "2027-01-12T16:05:00-08:00"})
    at: StepAt = None


class SignatureIn(Strict):
    model_config = example(
        {
            "clinician_id": "6f2d0c7e-2f7c-4d7a-9a64-1f3e0b8c5d21",
            "signed_at": "2027-01-12T16:30:00-08:00",
        }
    )
    clinician_id: UUID | None = Field(
        default=None,
        description="The PC clinician who signed: the caller's own id (the token's subject)",
    )
    signed_at: StepAt = None


class DeliveryIn(Strict):
    model_config = example({"method": "portal", "at": "2027-01-13T09:15:00-08:00"})
    method: DeliveryMethod
    at: StepAt = None


class CancelFormIn(Strict):
    model_config = example(
        {"reason": "Requester withdrew the request: student transferred schools"}
    )
    reason: Reason


class RequesterOut(BaseModel):
    kind: str
    name: str


class FormOut(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    kind: str
    status: str
    requested_by: RequesterOut
    patient: PatientOut
    appointment_id: UUID | None
    due_on: date
    received_at: datetime
    prepared_at: datetime | None
    signed_at: datetime | None
    signed_by: UUID | None = Field(description="The PC clinician who signed, by reference")
    delivered_at: datetime | None
    delivery_method: str | None
    cancellation_reason: str | None
    version: int

    @classmethod
    def of(cls, form: Form) -> FormOut:
        return showing(
            cls,
            form,
            requested_by=RequesterOut(kind=form.requester_kind, name=form.requester_name),
            patient=PatientOut.model_validate(form.patient),
        )


class FormRow(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    kind: str
    requester_kind: str
    requester_name: str
    appointment_id: UUID | None
    status: str
    due_on: date
    received_at: datetime
    prepared_at: datetime | None
    signed_at: datetime | None
    signed_by: UUID | None
    delivered_at: datetime | None
    delivery_method: str | None
    cancelled_at: datetime | None
    turnaround_seconds: int | None = Field(description="Request received -> delivered")
    delivered_by_due_date: bool | None


class OverdueFormRow(FormRow):
    days_overdue: int
