"""Specimens from pickup to the result's release (what is overdue: lab_overdue.py)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import Instant
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.clinical_acts import acting_clinician
from services.mso_ops.api.dependencies import Lab, MsoReader, OpsCoordinator, PcClinician
from services.mso_ops.api.lab_schemas import (
    ResultReceivedIn,
    ResultReleasedIn,
    SpecimenOut,
    SpecimenPickupIn,
    SpecimenRow,
    SpecimenStatus,
)
from services.mso_ops.api.schemas import ServiceLineCode

router = APIRouter(tags=["lab"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/lab/specimens",
    operation_id="logSpecimenPickup",
    summary="Log a specimen collected at a site and awaiting courier pickup",
    description=(
        "A specimen is known by its site and its label or accession reference only; "
        "a second pickup with the same reference at the same site is a 409."
    ),
    status_code=201,
    response_model=SpecimenOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def log_specimen_pickup(
    body: SpecimenPickupIn,
    request: Request,
    rt: Runtime,
    lab: Lab,
    caller: OpsCoordinator,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(_id: UUID) -> dict[str, Any]:
        specimen = lab.log_specimen_pickup(meta=meta, **body.model_dump())
        return SpecimenOut.of(specimen).model_dump(mode="json")

    def existing(_id: UUID) -> dict[str, Any] | None:
        return None  # a specimen's id is fixed by site and reference: a repeat is a 409

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "logSpecimenPickup",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/lab/specimens/{b['id']}",
    )


@router.get(
    "/lab/specimens",
    operation_id="listSpecimens",
    summary="Specimens with the time of every step and their cycle times, oldest logged first",
    response_model=Page[SpecimenRow],
    responses=problems.responses(401, 403, 422),
)
def list_specimens(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    status: SpecimenStatus | None = None,
    run_id: UUID | None = None,
    collected_from: Annotated[Instant | None, Query(description="Collected at or after")] = None,
    collected_before: Annotated[Instant | None, Query(description="Collected before")] = None,
) -> Page[SpecimenRow]:
    table = rt.store.metadata.tables["mso_lab_specimens"]
    filters: list[ColumnElement[bool]] = []
    if site_id:
        filters.append(table.c.site_id == site_id)
    if service_line:
        filters.append(table.c.service_line == service_line)
    if status:
        filters.append(table.c.status == status)
    if run_id:
        filters.append(table.c.run_id == run_id)
    if collected_from:
        filters.append(table.c.collected_at >= collected_from)
    if collected_before:
        filters.append(table.c.collected_at < collected_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[SpecimenRow](
        items=[SpecimenRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/lab/specimens/{specimen_id}",
    operation_id="getSpecimen",
    summary="One specimen and the time of every step so far",
    response_model=SpecimenOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_specimen(
    specimen_id: UUID, response: Response, lab: Lab, _caller: MsoReader
) -> SpecimenOut:
    specimen = lab.specimen(specimen_id)
    set_etag(response, specimen.version)
    return SpecimenOut.of(specimen)


@router.post(
    "/lab/specimens/{specimen_id}/receive-result",
    operation_id="recordResultReceived",
    summary="Record that the lab's result for a delivered specimen was received (time only)",
    response_model=SpecimenOut,
    responses=UPDATING,
)
def receive_result(
    specimen_id: UUID,
    body: ResultReceivedIn,
    request: Request,
    response: Response,
    lab: Lab,
    caller: OpsCoordinator,
    if_match: IfMatch = None,
) -> SpecimenOut:
    specimen = lab.receive_result(
        specimen_id,
        at=body.at,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, specimen.version)
    return SpecimenOut.of(specimen)


@router.post(
    "/lab/specimens/{specimen_id}/release-result",
    operation_id="recordResultReleased",
    summary="A PC clinician records that they took release of a received result",
    description=(
        "Releasing a result is a clinical act, recorded only by the PC clinician it is "
        "released to: under a PC-issued identity (physician, app or medical_director) whose "
        "subject is their PC clinician id, and only while the PC holds them eligible "
        "(docs/adr/0019). 403 not-this-clinician for another clinician's id, 422 "
        "clinician-not-credentialed, 409 clinician-not-eligible."
    ),
    response_model=SpecimenOut,
    responses=UPDATING,
)
def release_result(
    specimen_id: UUID,
    body: ResultReleasedIn,
    request: Request,
    response: Response,
    lab: Lab,
    caller: PcClinician,
    if_match: IfMatch = None,
) -> SpecimenOut:
    specimen = lab.release_result(
        specimen_id,
        clinician_id=acting_clinician(caller, body.clinician_id),
        at=body.at,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, specimen.version)
    return SpecimenOut.of(specimen)
