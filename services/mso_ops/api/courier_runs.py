"""Courier runs: a vendor carries a manifest of specimens from a site to the lab."""

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
from services.mso_ops.api.dependencies import Lab, MsoReader, OpsCoordinator
from services.mso_ops.api.lab_schemas import (
    CancelRunIn,
    CourierRunIn,
    CourierRunOut,
    CourierRunRow,
    CourierRunStatus,
    CourierStepIn,
)

router = APIRouter(tags=["lab"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/lab/runs",
    operation_id="planCourierRun",
    summary="Plan a courier run from a site to the lab, with its manifest of specimens",
    description=(
        "Every specimen on the manifest must be logged at the run's site (422 otherwise) and "
        "awaiting pickup (409 otherwise); the run and the specimens' move onto it are saved "
        "together."
    ),
    status_code=201,
    response_model=CourierRunOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def plan_courier_run(
    body: CourierRunIn,
    request: Request,
    rt: Runtime,
    lab: Lab,
    caller: OpsCoordinator,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(run_id: UUID) -> dict[str, Any]:
        run = lab.plan_courier_run(run_id=run_id, meta=meta, **body.model_dump())
        return CourierRunOut.of(run).model_dump(mode="json")

    def existing(run_id: UUID) -> dict[str, Any] | None:
        if not lab.courier_run_exists(run_id):
            return None
        return CourierRunOut.of(lab.courier_run(run_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "planCourierRun",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/lab/runs/{b['id']}",
    )


@router.get(
    "/lab/runs",
    operation_id="listCourierRuns",
    summary="Courier runs, oldest planned first",
    response_model=Page[CourierRunRow],
    responses=problems.responses(401, 403, 422),
)
def list_courier_runs(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site_id: UUID | None = None,
    status: CourierRunStatus | None = None,
    planned_from: Annotated[Instant | None, Query(description="Planned at or after")] = None,
    planned_before: Annotated[Instant | None, Query(description="Planned before")] = None,
) -> Page[CourierRunRow]:
    table = rt.store.metadata.tables["mso_courier_runs"]
    filters: list[ColumnElement[bool]] = []
    if site_id:
        filters.append(table.c.site_id == site_id)
    if status:
        filters.append(table.c.status == status)
    if planned_from:
        filters.append(table.c.planned_at >= planned_from)
    if planned_before:
        filters.append(table.c.planned_at < planned_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[CourierRunRow](
        items=[CourierRunRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/lab/runs/{run_id}",
    operation_id="getCourierRun",
    summary="One courier run with its manifest",
    response_model=CourierRunOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_courier_run(
    run_id: UUID, response: Response, lab: Lab, _caller: MsoReader
) -> CourierRunOut:
    run = lab.courier_run(run_id)
    set_etag(response, run.version)
    return CourierRunOut.of(run)


@router.post(
    "/lab/runs/{run_id}/depart",
    operation_id="recordCourierDeparture",
    summary="Record that the courier left the site with every specimen on the manifest",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def depart(
    run_id: UUID,
    body: CourierStepIn,
    request: Request,
    response: Response,
    lab: Lab,
    caller: OpsCoordinator,
    if_match: IfMatch = None,
) -> CourierRunOut:
    run = lab.depart_courier_run(
        run_id,
        at=body.at,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, run.version)
    return CourierRunOut.of(run)


@router.post(
    "/lab/runs/{run_id}/deliver",
    operation_id="recordCourierDelivery",
    summary="Record that the courier delivered the manifest to the lab",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def deliver(
    run_id: UUID,
    body: CourierStepIn,
    request: Request,
    response: Response,
    lab: Lab,
    caller: OpsCoordinator,
    if_match: IfMatch = None,
) -> CourierRunOut:
    run = lab.deliver_courier_run(
        run_id,
        at=body.at,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, run.version)
    return CourierRunOut.of(run)


@router.post(
    "/lab/runs/{run_id}/cancel",
    operation_id="cancelCourierRun",
    summary="Cancel a run that has not left: its specimens wait for pickup again",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def cancel(
    run_id: UUID,
    body: CancelRunIn,
    request: Request,
    response: Response,
    lab: Lab,
    caller: OpsCoordinator,
    if_match: IfMatch = None,
) -> CourierRunOut:
    run = lab.cancel_courier_run(
        run_id,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, run.version)
    return CourierRunOut.of(run)
