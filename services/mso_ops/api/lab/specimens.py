"""Specimens from pickup to the result's release (what is overdue: lab_overdue.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Instant
from mhg.changes import Change
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps, changing
from services.mso_ops.api.clinical_acts import acting_clinician
from services.mso_ops.api.dependencies import Lab, MsoReader, OpsCoordinator, PcClinician
from services.mso_ops.api.lab.schemas import (
    ResultReceivedIn,
    ResultReleasedIn,
    SpecimenOut,
    SpecimenPickupIn,
    SpecimenRow,
    SpecimenStatus,
)
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.projections import lab as lab_rows

router = APIRouter(tags=["lab"])

SPECIMENS = Listing(lab_rows.SPECIMENS, SpecimenRow)


SPECIMEN = Steps(router, "/lab/specimens/{specimen_id}", Lab, SpecimenOut.of)
SPECIMEN.created(
    "logSpecimenPickup",
    "Log a specimen collected at a site and awaiting courier pickup",
    SpecimenPickupIn,
    OpsCoordinator,
    # a specimen's id is fixed by site and reference: a repeat is the command's 409
    lambda lab: lab.log_specimen_pickup,
    (401, 403, 404, 409, 422),
    description=(
        "A specimen is known by its site and its label or accession reference only; "
        "a second pickup with the same reference at the same site is a 409."
    ),
)


@listed(router, "/lab/specimens", "listSpecimens", SPECIMENS, MsoReader)
def list_specimens(
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    status: SpecimenStatus | None = None,
    run_id: UUID | None = None,
    collected_from: Annotated[Instant | None, Query(description="Collected at or after")] = None,
    collected_before: Annotated[Instant | None, Query(description="Collected before")] = None,
) -> None:
    """Specimens with the time of every step and their cycle times, oldest logged first"""


SPECIMEN.shown(
    "getSpecimen",
    "One specimen and the time of every step so far",
    MsoReader,
    lambda lab: lab.specimen,
)
SPECIMEN.step(
    "receive-result",
    "recordResultReceived",
    "Record that the lab's result for a delivered specimen was received (time only)",
    ResultReceivedIn,
    OpsCoordinator,
    lambda lab: lab.receive_result,
)


@changing(
    router,
    "/lab/specimens/{specimen_id}/release-result",
    "recordResultReleased",
    description=(
        "Releasing a result is a clinical act, recorded only by the PC clinician it is "
        "released to: under a PC-issued identity (physician, app or medical_director) whose "
        "subject is their PC clinician id, and only while the PC holds them eligible "
        "(docs/adr/0019). 403 not-this-clinician for another clinician's id, 422 "
        "clinician-not-credentialed, 409 clinician-not-eligible."
    ),
)
def release_result(
    specimen_id: UUID, body: ResultReleasedIn, lab: Lab, caller: PcClinician, change: Change
) -> SpecimenOut:
    """A PC clinician records that they took release of a received result"""
    specimen = change(
        caller,
        lab.release_result,
        specimen_id,
        body=None,
        clinician_id=acting_clinician(caller, body.clinician_id),
        at=body.at,
    )
    return SpecimenOut.of(specimen)
