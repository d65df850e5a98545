"""The steps of a form after its request: prepared, signed (recorded), delivered, cancelled.

Each answers with the form and its patient, so each is a recorded read (ADR 0004).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.access_log import RecordsPatientReads
from mhg.changes import Change
from mhg.steps import Steps, changing
from services.mso_ops.api.clinical_acts import acting_clinician
from services.mso_ops.api.dependencies import Forms, OpsCoordinator, PcClinician
from services.mso_ops.api.forms.routes import shown_with_patient
from services.mso_ops.api.forms.schemas import (
    CancelFormIn,
    DeliveryIn,
    FormOut,
    FormStepIn,
    SignatureIn,
)

router = APIRouter(tags=["forms"])


FORM = Steps(router, "/forms/{form_id}", Forms, shown_with_patient, shows_patient=True)
FORM.step(
    "prepare",
    "prepareForm",
    "Record that the requested form is prepared for a clinician's signature",
    FormStepIn,
    OpsCoordinator,
    lambda forms: forms.prepare_form,
)


@changing(
    router,
    "/forms/{form_id}/record-signature",
    "recordFormSignature",
    description=(
        "Signing is the clinician's act in the PC, recorded only by the clinician: under a "
        "PC-issued identity (physician, app or medical_director) whose subject is their PC "
        "clinician id, and only while the PC holds them eligible. The MSO does not sign and "
        "records no signature on anyone's behalf (docs/adr/0019). 403 not-this-clinician "
        "for another clinician's id, 422 clinician-not-credentialed for a clinician the PC "
        "never published, 409 clinician-not-eligible for one it does not hold eligible."
    ),
)
def record_signature(
    form_id: UUID,
    body: SignatureIn,
    forms: Forms,
    caller: PcClinician,
    change: Change,
    record_read: RecordsPatientReads,
) -> FormOut:
    """A PC clinician records their own signature of the prepared form"""
    form = change(
        caller,
        forms.record_form_signature,
        form_id,
        body=None,
        clinician_id=acting_clinician(caller, body.clinician_id),
        signed_at=body.signed_at,
    )
    return shown_with_patient(form, caller, record_read)


FORM.step(
    "deliver",
    "deliverForm",
    "Record that the signed form was delivered to the requester",
    DeliveryIn,
    OpsCoordinator,
    lambda forms: forms.deliver_form,
)
FORM.step(
    "cancel",
    "cancelForm",
    "Cancel a form not yet delivered, with a reason",
    CancelFormIn,
    OpsCoordinator,
    lambda forms: forms.cancel_form,
)
