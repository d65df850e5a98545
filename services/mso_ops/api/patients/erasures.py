"""Erasing a patient's identifying data: their key is destroyed under a recorded decision.

Afterwards every record that named them (appointments, forms) reads "erased" in each
patient field; the log keeps the ciphertext, so the audit chain still verifies and the
records' provenance still resolves (ADR 0031).
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mhg.auth import Principal, Role
from mhg.bounded import Day, Line
from mhg.creation import Create, recorded
from mhg.declared import created, shown
from mhg.web import require
from services.mso_ops.api.dependencies import PatientErasures
from services.mso_ops.api.schemas import Strict, Text, example
from services.mso_ops.domain.patient_erasure import MAX_REASON, PatientErasure

router = APIRouter(tags=["patients"])

ErasureDecider = Annotated[Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.MSO_ADMIN))]
ErasureReader = Annotated[
    Principal, Depends(require(Role.MEDICAL_DIRECTOR, Role.MSO_ADMIN, Role.AUDITOR))
]


class ErasedPatientIn(Strict):
    name: Text
    date_of_birth: Day


class PatientErasureIn(Strict):
    model_config = example(
        {
            "patient": {"name": "Pat Doe", "date_of_birth": "2010-04-01"},
            "basis": "retention_ended",
            "reason": "Retention under the records policy in force ended on 2036-04-01",
        }
    )

    patient: ErasedPatientIn
    basis: Literal["retention_ended", "entered_in_error"] = Field(
        description="retention_ended: the PC's medical-records policy's retention is over "
        "(medical_director only); entered_in_error: the patient should never have been recorded"
    )
    reason: Annotated[str, Line(MAX_REASON)] = Field(description="Why, as the decider says it")


class PatientErasureOut(BaseModel):
    id: UUID
    patient_ref: str = Field(description="Keyed reference to the patient, not the patient")
    basis: str
    reason: str
    decided_by: str
    decided_role: str

    @classmethod
    def of(cls, erasure: PatientErasure) -> PatientErasureOut:
        return cls(
            id=erasure.id,
            patient_ref=erasure.patient_ref,
            basis=erasure.basis,
            reason=erasure.reason,
            decided_by=erasure.decided_by,
            decided_role=erasure.decided_role,
        )


@created(
    router,
    "/patient-erasures",
    "erasePatient",
    PatientErasureOut,
    (401, 403, 422),
    description=(
        "Destroys the patient's key: every appointment and form that named them reads "
        '"erased" in each patient field from then on, and cannot be read again. '
        "The decision itself is recorded with who decided it and why."
    ),
)
def erase_patient(
    body: PatientErasureIn, create: Create, erasures: PatientErasures, caller: ErasureDecider
) -> JSONResponse:
    """Erase a patient's identifying data by destroying their key"""
    return create(
        caller,
        body,
        make=lambda erasure_id, meta: erasures.erase(
            erasure_id=erasure_id,
            name=body.patient.name,
            date_of_birth=body.patient.date_of_birth.isoformat(),
            basis=body.basis,
            reason=body.reason,
            meta=meta,
        ),
        find=recorded(erasures.erasure_exists, erasures.erasure),
        answer=PatientErasureOut.of,
        location="/patient-erasures/{id}",
    )


@shown(
    router, "/patient-erasures/{erasure_id}", "getPatientErasure", ErasureReader, versioned=False
)
def get_patient_erasure(erasure_id: UUID, erasures: PatientErasures) -> PatientErasureOut:
    """One erasure decision: who decided it, on which basis and why (never the patient)"""
    return PatientErasureOut.of(erasures.erasure(erasure_id))
