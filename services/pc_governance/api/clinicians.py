"""Clinicians and their credentials: registration, verification, renewal, expiry alerts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.changes import Change
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.clinician_schemas import (
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
    SweepIn,
    SweepOut,
    VerifyIn,
)
from services.pc_governance.api.dependencies import (
    CredentialingDecider,
    CredentialKeeper,
    Governance,
    PcReader,
)
from services.pc_governance.application import clinicians as commands

router = APIRouter(tags=["clinicians"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)
# days left below the first bound -> that alert; checked in order
ALERTS = ((0, "expired"), (31, "within_30"), (61, "within_60"), (91, "within_90"))


@router.post(
    "/clinicians",
    operation_id="registerClinician",
    summary="Register a physician, Medical Director, NP or PA (not eligible until credentialed)",
    status_code=201,
    response_model=ClinicianOut,
    responses=problems.responses(401, 403, 409, 422),
)
def register_clinician(
    body: ClinicianIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: CredentialingDecider,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(_id: UUID) -> dict[str, Any]:
        clinician = gov.register_clinician(meta=meta, **body.model_dump())
        return ClinicianOut.of(clinician).model_dump(mode="json")

    def existing(_id: UUID) -> dict[str, Any] | None:
        return None  # a clinician's id is fixed by the NPI: a repeat is a 409

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "registerClinician",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/clinicians/{b['id']}",
    )


@router.get(
    "/clinicians",
    operation_id="listClinicians",
    summary="Clinicians and their eligibility, oldest registration first",
    response_model=Page[ClinicianRow],
    responses=problems.responses(401, 403, 422),
)
def list_clinicians(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    role: ClinicianRole | None = None,
    eligible: bool | None = None,
) -> Page[ClinicianRow]:
    table = rt.store.metadata.tables["pc_clinicians"]
    filters: list[ColumnElement[bool]] = []
    if role:
        filters.append(table.c.role == role)
    if eligible is not None:
        filters.append(table.c.eligible == eligible)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ClinicianRow](
        items=[ClinicianRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/clinicians/{clinician_id}",
    operation_id="getClinician",
    summary="One clinician with every credential and its verification",
    response_model=ClinicianOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_clinician(
    clinician_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> ClinicianOut:
    clinician = gov.clinician(clinician_id)
    set_etag(response, clinician.version)
    return ClinicianOut.of(clinician)


@router.post(
    "/clinicians/{clinician_id}/credentials",
    operation_id="addCredential",
    summary="Put a license, DEA registration or board certification on file (unverified)",
    status_code=201,
    response_model=ClinicianCredentialOut,
    responses=UPDATING,
)
def add_credential(
    clinician_id: UUID,
    body: CredentialIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: CredentialKeeper,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(credential_id: UUID) -> dict[str, Any]:
        clinician = gov.add_credential(
            clinician_id,
            credential_id=credential_id,
            expected_version=version,
            meta=meta,
            **body.model_dump(),
        )
        return ClinicianCredentialOut.on(clinician, credential_id).model_dump(mode="json")

    def existing(credential_id: UUID) -> dict[str, Any] | None:
        clinician = gov.clinician(clinician_id)
        if credential_id not in clinician.credentials:
            return None
        return ClinicianCredentialOut.on(clinician, credential_id).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"addCredential:{clinician_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/clinicians/{b['clinician_id']}/credentials/{b['id']}",
    )


@router.get(
    "/clinicians/{clinician_id}/credentials/{credential_id}",
    operation_id="getCredential",
    summary="One credential of a clinician",
    response_model=ClinicianCredentialOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_credential(
    clinician_id: UUID,
    credential_id: UUID,
    response: Response,
    gov: Governance,
    _caller: PcReader,
) -> ClinicianCredentialOut:
    clinician = gov.clinician(clinician_id)
    set_etag(response, clinician.version)
    return ClinicianCredentialOut.on(clinician, credential_id)


@router.post(
    "/clinicians/{clinician_id}/credentials/{credential_id}/verify",
    operation_id="verifyCredential",
    summary="Record that an in-date credential was verified against its primary source",
    response_model=ClinicianOut,
    responses=UPDATING,
)
def verify_credential(
    clinician_id: UUID,
    credential_id: UUID,
    body: VerifyIn,
    caller: CredentialingDecider,
    gov: Governance,
    change: Change,
) -> ClinicianOut:
    return ClinicianOut.of(
        change(caller, gov.verify_credential, clinician_id, credential_id, body=body)
    )


@router.post(
    "/clinicians/{clinician_id}/credentials/{credential_id}/renew",
    operation_id="renewCredential",
    summary="Record a renewal: a later expiry, verified against its source",
    response_model=ClinicianOut,
    responses=UPDATING,
)
def renew_credential(
    clinician_id: UUID,
    credential_id: UUID,
    body: RenewIn,
    caller: CredentialingDecider,
    gov: Governance,
    change: Change,
) -> ClinicianOut:
    return ClinicianOut.of(
        change(caller, gov.renew_credential, clinician_id, credential_id, body=body)
    )


@router.post(
    "/credentials/expirations",
    operation_id="recordCredentialExpirations",
    summary="The expiry sweep: record every credential that expired before `as_of`",
    description=(
        "Idempotent: a credential is recorded expired once. A clinician left with an expired "
        "credential becomes ineligible, which is published to the MSO."
    ),
    response_model=SweepOut,
    responses=problems.responses(401, 403, 409, 422),
)
def record_expirations(
    body: SweepIn, request: Request, gov: Governance, caller: CredentialKeeper
) -> SweepOut:
    swept = gov.record_expirations(as_of=body.as_of, meta=command_meta(request, caller))
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


@router.get(
    "/credentials/expiring",
    operation_id="listExpiringCredentials",
    summary="Credentials expiring within a window (90, 60 or 30 days), and those expired",
    response_model=Page[CredentialRow],
    responses=problems.responses(401, 403, 422),
)
def list_expiring(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    within: Annotated[int, Query(ge=0, le=365, description="Days from today")] = 90,
    clinician_id: UUID | None = None,
    kind: CredentialKind | None = None,
    status: CredentialStatus | None = None,
) -> Page[CredentialRow]:
    table = rt.store.metadata.tables["pc_credentials"]
    today = commands.today()
    filters: list[ColumnElement[bool]] = [table.c.expires_on <= today + timedelta(days=within)]
    if clinician_id:
        filters.append(table.c.clinician_id == clinician_id)
    if kind:
        filters.append(table.c.kind == kind)
    if status:
        filters.append(table.c.status == status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[CredentialRow](items=[_with_alert(r, today) for r in rows], next_cursor=next_cursor)


def _with_alert(row: dict[str, Any], today: date) -> CredentialRow:
    days_left = (row["expires_on"] - today).days
    alert = next((name for bound, name in ALERTS if days_left < bound), None)
    return CredentialRow.model_validate({**row, "days_left": days_left, "alert": alert})
