"""Documentation operations: clearance and physical forms, from request to delivery.

A form carries patient data (name, date of birth, contact): it is returned only when
one form is read or changed, never in lists, and never logged. Every response that
shows a form's patient to someone who did not just send it is recorded as a read of
patient data first (ADR 0004).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.access_log import PatientReadRecorder, RecordsPatientReads
from mhg.auth import Principal
from mhg.bounded import Day, Instant
from mhg.creation import recorded
from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.steps import Steps
from services.mso_ops.api.dependencies import FormReader, Forms, OpsCoordinator
from services.mso_ops.api.forms.schemas import (
    FormKind,
    FormOut,
    FormRequestIn,
    FormRow,
    FormStatus,
    OpenFormStatus,
    OverdueFormRow,
    RequesterKind,
)
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.form import OPEN, Form
from services.mso_ops.projections import forms as form_rows

router = APIRouter(tags=["forms"])

FORMS = Listing(form_rows.FORMS, FormRow)


def shown_with_patient(form: Form, caller: Principal, record_read: PatientReadRecorder) -> FormOut:
    """The form with its patient, once the read of the patient's data is on record."""
    if not form.patient_erased:  # an erased patient's form discloses no one
        record_read(caller, "form", form.id, form.patient["name"], form.patient["date_of_birth"])
    return FormOut.of(form)


FORM = Steps(router, "/forms/{form_id}", Forms, FormOut.of)
FORM.created(
    "requestForm",
    "Record a school's, team's or employer's request for a clearance or physical form",
    FormRequestIn,
    OpsCoordinator,
    lambda forms: forms.request_form,
    (401, 403, 404, 409, 422),
    find=lambda forms: recorded(forms.form_exists, forms.form),
    arguments=FormRequestIn.arguments,
    description=(
        "Patient data is the minimum necessary: name, date of birth and a contact; no "
        "clinical content. The form may name the appointment it is for (at the same site)."
    ),
)


@listed(router, "/forms", "listForms", FORMS, FormReader)
def list_forms(
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    status: FormStatus | None = None,
    kind: FormKind | None = None,
    requester_kind: RequesterKind | None = None,
    appointment_id: UUID | None = None,
    received_from: Annotated[
        Instant | None, Query(description="Requests received at or after")
    ] = None,
    received_before: Annotated[
        Instant | None, Query(description="Requests received before")
    ] = None,
    due_from: Annotated[Day | None, Query(description="Due on or after")] = None,
    due_before: Annotated[Day | None, Query(description="Due before")] = None,
) -> None:
    """Forms with the time of every step and their turnaround (no patient data)"""


@paged(router, "/forms/overdue", "listOverdueForms", FormReader)
def list_overdue_forms(
    pages: Pages,
    as_of: Annotated[
        Day | None, Query(description="The day to judge on (today if omitted)")
    ] = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    status: OpenFormStatus | None = None,
) -> Page[OverdueFormRow]:
    """Forms not delivered (nor cancelled) by their due date"""
    day = as_of or clock.today()
    return pages.stored(
        form_rows.OVERDUE,
        lambda r: OverdueFormRow.model_validate({**r, "days_overdue": (day - r["due_on"]).days}),
        status=[status] if status else OPEN,
        due_before=day,
        site_id=site_id,
        service_line=service_line,
    )


@shown(router, "/forms/{form_id}", "getForm", FormReader)
def get_form(
    form_id: UUID, forms: Forms, caller: FormReader, record_read: RecordsPatientReads
) -> FormOut:
    """One form, with the minimum patient data"""
    return shown_with_patient(forms.form(form_id), caller, record_read)
