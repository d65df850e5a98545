"""Courier runs: a vendor carries a manifest of specimens from a site to the lab."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Instant
from mhg.creation import recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps
from services.mso_ops.api.dependencies import Lab, MsoReader, OpsCoordinator
from services.mso_ops.api.lab.schemas import (
    CancelRunIn,
    CourierRunIn,
    CourierRunOut,
    CourierRunRow,
    CourierRunStatus,
    CourierStepIn,
)
from services.mso_ops.projections import lab as lab_rows

router = APIRouter(tags=["lab"])

COURIER_RUNS = Listing(lab_rows.COURIER_RUNS, CourierRunRow)


RUN = Steps(router, "/lab/runs/{run_id}", Lab, CourierRunOut.of)
RUN.created(
    "planCourierRun",
    "Plan a courier run from a site to the lab, with its manifest of specimens",
    CourierRunIn,
    OpsCoordinator,
    lambda lab: lab.plan_courier_run,
    (401, 403, 404, 409, 422),
    find=lambda lab: recorded(lab.courier_run_exists, lab.courier_run),
    description=(
        "Every specimen on the manifest must be logged at the run's site (422 otherwise) and "
        "awaiting pickup (409 otherwise); the run and the specimens' move onto it are saved "
        "together."
    ),
)


@listed(router, "/lab/runs", "listCourierRuns", COURIER_RUNS, MsoReader)
def list_courier_runs(
    site_id: UUID | None = None,
    status: CourierRunStatus | None = None,
    planned_from: Annotated[Instant | None, Query(description="Planned at or after")] = None,
    planned_before: Annotated[Instant | None, Query(description="Planned before")] = None,
) -> None:
    """Courier runs, oldest planned first"""


RUN.shown(
    "getCourierRun", "One courier run with its manifest", MsoReader, lambda lab: lab.courier_run
)
RUN.step(
    "depart",
    "recordCourierDeparture",
    "Record that the courier left the site with every specimen on the manifest",
    CourierStepIn,
    OpsCoordinator,
    lambda lab: lab.depart_courier_run,
)
RUN.step(
    "deliver",
    "recordCourierDelivery",
    "Record that the courier delivered the manifest to the lab",
    CourierStepIn,
    OpsCoordinator,
    lambda lab: lab.deliver_courier_run,
)
RUN.step(
    "cancel",
    "cancelCourierRun",
    "Cancel a run that has not left: its specimens wait for pickup again",
    CancelRunIn,
    OpsCoordinator,
    lambda lab: lab.cancel_courier_run,
)
