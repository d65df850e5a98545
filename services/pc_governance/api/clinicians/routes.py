"""Clinicians and their credentials: registration, verification, renewal, expiry alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.paged import Pages, paged, remade
from mhg.pagination import Page
from mhg.parts import AddPart
from mhg.resource import Resource
from mhg.routed import routed
from mhg.steps import Steps, changing
from mhg.web import command_meta
from services.pc_governance.api.clinicians.schemas import (
    ClinicianCredentialOut,
    ClinicianIn,
    ClinicianOut,
    ClinicianRole,
    ClinicianRow,
    CredentialIn,
    CredentialKind,
    CredentialRow,
    CredentialStatus,
    ExpiredCredentialOut,
    RenewIn,
    StoredCredential,
    SweepIn,
    SweepOut,
    VerifyIn,
)
from services.pc_governance.api.dependencies import (
    Clinicians,
    CredentialingDecider,
    CredentialKeeper,
    PcReader,
)
from services.pc_governance.application import clock
from services.pc_governance.projections import clinicians as read_side

router = APIRouter(tags=["clinicians"])


CLINICIANS = Listing(read_side.CLINICIANS, ClinicianRow)
CREDENTIALS = Listing(read_side.CREDENTIALS, StoredCredential)


# a clinician's id is fixed by the NPI, so a repeat is the command's 409
CLINICIAN = Resource(
    router,
    "/clinicians/{clinician_id}",
    Clinicians,
    ClinicianOut.of,
    lambda c: c.clinician,
)
CLINICIAN.created(
    "registerClinician",
    "Register a physician, Medical Director, NP or PA (not eligible until credentialed)",
    ClinicianIn,
    CredentialingDecider,
    lambda clinicians: clinicians.register_clinician,
    keyed=False,
)


@listed(router, "/clinicians", "listClinicians", CLINICIANS, PcReader)
def list_clinicians(
    role: ClinicianRole | None = None,
    eligible: bool | None = None,
) -> None:
    """Clinicians and their eligibility, oldest registration first"""


CLINICIAN.shown(
    "getClinician", "One clinician with every credential and its verification", PcReader
)


@changing(
    router,
    "/clinicians/{clinician_id}/credentials",
    "addCredential",
    status_code=201,
    answer=ClinicianCredentialOut,
)
def add_credential(
    clinician_id: UUID,
    body: CredentialIn,
    clinicians: Clinicians,
    caller: CredentialKeeper,
    add: AddPart,
) -> JSONResponse:
    """Put a license, DEA registration or board certification on file (unverified)"""
    return add(
        caller,
        clinicians.add_credential,
        clinician_id,
        body=body,
        part="credential_id",
        whole=clinicians.clinician,
        holds=lambda clinician, credential_id: credential_id in clinician.credentials,
        answer=ClinicianCredentialOut.on,
        location="/clinicians/{clinician_id}/credentials/{id}",
    )


@shown(router, "/clinicians/{clinician_id}/credentials/{credential_id}", "getCredential", PcReader)
def get_credential(
    clinician_id: UUID, credential_id: UUID, clinicians: Clinicians
) -> ClinicianCredentialOut:
    """One credential of a clinician"""
    return ClinicianCredentialOut.on(clinicians.clinician(clinician_id), credential_id)


CREDENTIAL = Steps(
    router, "/clinicians/{clinician_id}/credentials/{credential_id}", Clinicians, ClinicianOut.of
)
CREDENTIAL.step(
    "verify",
    "verifyCredential",
    "Record that an in-date credential was verified against its primary source",
    VerifyIn,
    CredentialingDecider,
    lambda clinicians: clinicians.verify_credential,
)
CREDENTIAL.step(
    "renew",
    "renewCredential",
    "Record a renewal: a later expiry, verified against its source",
    RenewIn,
    CredentialingDecider,
    lambda clinicians: clinicians.renew_credential,
)


@routed(
    router,
    "POST /credentials/expirations",
    "recordCredentialExpirations",
    409,
    422,
    description=(
        "Idempotent: a credential is recorded expired once. A clinician left with an expired "
        "credential becomes ineligible, which is published to the MSO."
    ),
)
def record_expirations(
    body: SweepIn, request: Request, clinicians: Clinicians, caller: CredentialKeeper
) -> SweepOut:
    """The expiry sweep: record every credential that expired before `as_of`"""
    swept = clinicians.record_expirations(as_of=body.as_of, meta=command_meta(request, caller))
    return SweepOut(
        as_of=body.as_of,
        expired=[
            ExpiredCredentialOut(
                clinician_id=s.clinician.id,
                credential_id=credential_id,
                kind=s.clinician.credentials[credential_id].kind,
                expires_on=s.clinician.credentials[credential_id].expires_on,
            )
            for s in swept
            for credential_id in s.lapsed
        ],
        no_longer_eligible=[s.clinician.id for s in swept if s.lost_eligibility],
    )


@paged(router, "/credentials/expiring", "listExpiringCredentials", PcReader)
def list_expiring(
    pages: Pages,
    within: Annotated[int, Query(ge=0, le=365, description="Days from today")] = 90,
    clinician_id: UUID | None = None,
    kind: CredentialKind | None = None,
    status: CredentialStatus | None = None,
) -> Page[CredentialRow]:
    """Credentials expiring within a window (90, 60 or 30 days), and those expired"""
    today = clock.today()
    page = pages(
        CREDENTIALS,
        expiring_by=today + timedelta(days=within),
        clinician_id=clinician_id,
        kind=kind,
        status=status,
    )
    return remade(page, lambda stored: CredentialRow.of(stored, today))
