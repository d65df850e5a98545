"""The steps of a resource's life, each a route declared by the command it runs.

A step is a POST to `<resource>/<step>` by a role that runs one command at the version the
caller read: the same route for a claim's acceptance, a courier run's departure, a site's
suspension. `Steps` writes it once; each step names what differs (see `Steps`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from mhg.access_log import PatientReadRecorder, RecordsPatientReads
from mhg.auth import Principal
from mhg.changes import CHANGING, Change, VersionedChange
from mhg.declared import endpoint

_PATH_ID = re.compile(r"{(\w+)}")


class Steps:
    """The steps of one resource's life: each a POST to `<path>/<step>` by a role, that runs
    one command of a capability at the version the caller read (`Change`: If-Match, ETag)
    with the path's ids and the body's fields, and answers as `answer` shows the aggregate:

        RUN = Steps(router, "/lab/runs/{run_id}", Lab, CourierRunOut.of)
        RUN.step("cancel", "cancelCourierRun", "Cancel a run that has not left",
                 CancelRunIn, OpsCoordinator, lambda lab: lab.cancel_courier_run)

    is `POST /lab/runs/{run_id}/cancel`, which runs `lab.cancel_courier_run(run_id=...,
    reason=..., expected_version=..., meta=...)` for an OpsCoordinator and answers the run.

    The path's ids are UUIDs, handed to the command by name. A step that takes nothing but
    the version has no body (None). An answer that shows a patient's data records that read
    first (ADR 0004): declared `shows_patient`, it is `answer(aggregate, caller, record_read)`.
    """

    def __init__(
        self,
        router: APIRouter,
        path: str,
        capability: object,
        answer: Callable[..., Any],
        *,
        shows_patient: bool = False,
    ) -> None:
        self.router = router
        self.path = path
        self.ids = _PATH_ID.findall(path)
        self.capability = capability
        self.answer = answer
        self.shows_patient = shows_patient

    def step(
        self,
        step: str,
        operation_id: str,
        summary: str,
        body: type[BaseModel] | None,
        role: object,
        command: Callable[[Any], Callable[..., Any]],
        *,
        description: str | None = None,
    ) -> None:
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters = [
            *(inspect.Parameter(name, kind, annotation=UUID) for name in self.ids),
            *([] if body is None else [inspect.Parameter("body", kind, annotation=body)]),
            inspect.Parameter("caller", kind, annotation=role),
            inspect.Parameter("capability", kind, annotation=self.capability),
            inspect.Parameter("change", kind, annotation=Change),
            *(
                [inspect.Parameter("record_read", kind, annotation=RecordsPatientReads)]
                if self.shows_patient
                else []
            ),
        ]

        def run(
            caller: Principal,
            capability: object,
            change: VersionedChange,
            body: BaseModel | None = None,
            record_read: PatientReadRecorder | None = None,
            **ids: UUID,
        ) -> Any:
            aggregate = change(caller, command(capability), body=body, **ids)
            if self.shows_patient:
                return self.answer(aggregate, caller, record_read)
            return self.answer(aggregate)

        self.router.add_api_route(
            f"{self.path}/{step}",
            endpoint(operation_id, parameters, run),
            methods=["POST"],
            operation_id=operation_id,
            summary=summary,
            description=description,
            response_model=inspect.signature(self.answer, eval_str=True).return_annotation,
            responses=CHANGING,
        )
