"""Courier runs: a vendor carries a manifest of specimens from a site to the lab."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Instant
from mhg.changes import Change, read
from mhg.creation import Create
from mhg.listing import Listing, at_least, below, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import Lab, MsoReader, OpsCoordinator
from services.mso_ops.api.finding import if_exists
from services.mso_ops.api.lab.schemas import (
    CancelRunIn,
    CourierRunIn,
    CourierRunOut,
    CourierRunRow,
    CourierRunStatus,
    CourierStepIn,
)

router = APIRouter(tags=["lab"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)

COURIER_RUNS = Listing(
    "mso_courier_runs",
    CourierRunRow,
    site_id=equals(),
    status=equals(),
    planned_from=at_least("planned_at"),
    planned_before=below("planned_at"),
)


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
    body: CourierRunIn, create: Create, lab: Lab, caller: OpsCoordinator
) -> JSONResponse:
    return create(
        caller,
        body,
        make=lambda run_id, meta: lab.plan_courier_run(
            run_id=run_id, meta=meta, **body.model_dump()
        ),
        find=if_exists(lab.courier_run_exists, lab.courier_run),
        answer=CourierRunOut.of,
        location="/lab/runs/{id}",
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
    return COURIER_RUNS.page(
        rt,
        cursor,
        limit,
        site_id=site_id,
        status=status,
        planned_from=planned_from,
        planned_before=planned_before,
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
    return CourierRunOut.of(read(response, lab.courier_run(run_id)))


@router.post(
    "/lab/runs/{run_id}/depart",
    operation_id="recordCourierDeparture",
    summary="Record that the courier left the site with every specimen on the manifest",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def depart(
    run_id: UUID, body: CourierStepIn, lab: Lab, caller: OpsCoordinator, change: Change
) -> CourierRunOut:
    return CourierRunOut.of(change(caller, lab.depart_courier_run, run_id, body=body))


@router.post(
    "/lab/runs/{run_id}/deliver",
    operation_id="recordCourierDelivery",
    summary="Record that the courier delivered the manifest to the lab",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def deliver(
    run_id: UUID, body: CourierStepIn, lab: Lab, caller: OpsCoordinator, change: Change
) -> CourierRunOut:
    return CourierRunOut.of(change(caller, lab.deliver_courier_run, run_id, body=body))


@router.post(
    "/lab/runs/{run_id}/cancel",
    operation_id="cancelCourierRun",
    summary="Cancel a run that has not left: its specimens wait for pickup again",
    response_model=CourierRunOut,
    responses=UPDATING,
)
def cancel(
    run_id: UUID, body: CancelRunIn, lab: Lab, caller: OpsCoordinator, change: Change
) -> CourierRunOut:
    return CourierRunOut.of(change(caller, lab.cancel_courier_run, run_id, body=body))
