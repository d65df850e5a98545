"""A version-checked step on one aggregate: the one shape of a route that changes a resource.

A step is a POST to `<resource>/<step>` by a role that runs one command at the version the
caller read (`Change`: If-Match, ETag): a claim's acceptance, a courier run's departure, a
protocol's review. Where the route does nothing but run the command and answer the
aggregate, `Steps` declares it as a row of a table; where it does more (a body's nested
parts, a port the command is handed, a Location), the route is a function `changing` declares:

    @changing(router, "/protocols/{protocol_id}/versions", "draftProtocolVersion", status_code=201)
    def draft_version(protocol_id: UUID, body: DraftIn, ..., change: Change) -> VersionOut:
        '''Start the next version as a draft (none may be pending)'''
        ...

Either way the route's problems are those of such a change: no credential or role (401,
403), no such resource (404), refused by the resource (409), a version the caller no
longer holds (412), an invalid request (422).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from mhg.access_log import PatientReadRecorder, RecordsPatientReads
from mhg.auth import Principal
from mhg.changes import CHANGING, Change, VersionedChange
from mhg.creation import creates
from mhg.declared import declared_route, endpoint, shown
from mhg.views import answered

F = TypeVar("F", bound=Callable[..., Any])

_PATH_ID = re.compile(r"{(\w+)}")


def changing(
    router: APIRouter,
    path: str,
    operation_id: str,
    *,
    method: str = "POST",
    status_code: int | None = None,
    summary: str | None = None,
    description: str | None = None,
    answer: Any = None,
) -> Callable[[F], F]:
    """Declare the decorated function as the route that makes the change: its docstring is
    the summary (or `summary`, where one function serves several routes) and its return
    annotation the answer (or `answer`, where it returns a response itself)."""
    return declared_route(
        router,
        path,
        operation_id,
        answer,
        summary,
        methods=[method],
        status_code=status_code,
        description=description,
        responses=CHANGING,
    )


class Steps:
    """The steps of one resource's life: each a POST to `<path>/<step>` by a role, that runs
    one command of a capability at the version the caller read with the path's ids and the
    body's fields, and answers as `answer` shows the aggregate:

        RUN = Steps(router, "/lab/runs/{run_id}", Lab, CourierRunOut.of)
        RUN.step("cancel", "cancelCourierRun", "Cancel a run that has not left",
                 CancelRunIn, OpsCoordinator, lambda lab: lab.cancel_courier_run)

    is `POST /lab/runs/{run_id}/cancel`, which runs `lab.cancel_courier_run(run_id=...,
    reason=..., expected_version=..., meta=...)` for an OpsCoordinator and answers the run.
    A command the step hands a fixed argument is `partial(lab.judge, effective=True)`.

    The path's ids are UUIDs, handed to the command by name. A step that takes nothing but
    the version has no body (None). An answer that shows a patient's data records that read
    first (ADR 0004): declared `shows_patient`, it is `answer(aggregate, caller, record_read)`.
    An answer that asks the capability more (a shift's coverage) is declared `asks_capability`:
    it is `answer(capability, aggregate)`.
    """

    def __init__(
        self,
        router: APIRouter,
        path: str,
        capability: object,
        answer: Callable[..., Any],
        *,
        shows_patient: bool = False,
        asks_capability: bool = False,
    ) -> None:
        self.router = router
        self.path = path
        self.ids = _PATH_ID.findall(path)
        self.capability = capability
        self.answer = answer
        self.shows_patient = shows_patient
        self.asks_capability = asks_capability

    def created(
        self,
        operation_id: str,
        summary: str,
        body: type[BaseModel],
        role: object,
        command: Callable[[Any], Callable[..., Any]],
        statuses: Sequence[int],
        *,
        find: Callable[[Any], Callable[[UUID], Any]] | None = None,
        arguments: Callable[[Any], dict[str, Any]] | None = None,
        description: str | None = None,
    ) -> None:
        """The route that creates the resource (`mhg.creation.creates`): a POST to the path
        without its last id, answered at the path with the new id. A resource `find` finds
        again is made under the new id, handed to the command as the path's last id; one
        without, whose id follows from its content, is made without it."""
        collection, _last = self.path.rsplit("/", 1)
        creates(
            self.router,
            collection,
            operation_id,
            summary,
            body,
            role,
            self.capability,
            command,
            self.answer,
            statuses,
            asks_capability=self.asks_capability,
            location=f"{collection}/{{id}}",
            new_id=None if find is None else self.ids[-1],
            find=find,
            arguments=arguments,
            description=description,
        )

    def _answer(self, capability: object) -> Callable[[Any], Any]:
        return partial(self.answer, capability) if self.asks_capability else self.answer

    def shown(
        self,
        operation_id: str,
        summary: str,
        reader: object,
        read: Callable[[Any], Any],
        *,
        versioned: bool = True,
    ) -> None:
        """The route that shows the resource: a GET of the path by a reader, answering
        `answer(read(capability)(*the path's ids))`, its version the ETag unless it is not
        `versioned` (a provenance: `mhg.declared.shown`):

            RUN.shown("getCourierRun", "One courier run with its manifest", MsoReader,
                      lambda lab: lab.courier_run)
        """
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters = [
            *(inspect.Parameter(name, kind, annotation=UUID) for name in self.ids),
            inspect.Parameter("capability", kind, annotation=self.capability),
        ]

        def show(capability: object, **ids: UUID) -> Any:
            return self._answer(capability)(read(capability)(*(ids[name] for name in self.ids)))

        route = endpoint(operation_id, parameters, show)
        answer = answered(self.answer)
        route.__dict__["__signature__"] = inspect.Signature(parameters, return_annotation=answer)
        route.__doc__ = summary
        shown(self.router, self.path, operation_id, reader, versioned=versioned)(route)

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
            return self._answer(capability)(aggregate)

        changing(
            self.router,
            f"{self.path}/{step}",
            operation_id,
            summary=summary,
            description=description,
            answer=answered(self.answer),
        )(endpoint(operation_id, parameters, run))
