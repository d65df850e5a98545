"""Creating a resource at most once per (caller, Idempotency-Key): what every create route shares.

A route declares its role, its input and `create: Create`, and says how to make the
resource under a new id, how to find it again, how to answer and where it lives:

    return create(
        caller,
        body,
        make=lambda site_id, meta: sites.propose_site(site_id=site_id, meta=meta, **body.model_dump()),
        find=sites.find_site,
        answer=SiteOut.of,
        location="/sites/{id}",
    )

The operation an Idempotency-Key is scoped to is the route's operation id, followed by the
id in its path when it has one (`holdSlot:<slot id>`): one key may create one slot hold
per slot. `find` is left out where the resource's id follows from its content (a claim's
payer and number): a repeat then is the command's own 409.

Where the route does nothing but run one command of a capability with the new id, the
path's ids and the body's fields, `creates` declares it as a row (as `Steps` declares a
resource's steps):

    creates(router, "/lab/runs", "planCourierRun", "Plan a courier run", CourierRunIn,
            OpsCoordinator, Lab, lambda lab: lab.plan_courier_run, CourierRunOut.of,
            (401, 403, 404, 409, 422), location="/lab/runs/{id}", new_id="run_id",
            find=lambda lab: recorded(lab.courier_run_exists, lab.courier_run))

A `find` made with `recorded` names a resource the application saves as a new aggregate
under the new id: the save itself refuses a second one, so a keyed create of it is tried
first and looked for only when it is refused (one store read fewer per create). Any
other `find` is asked first, and `make` runs only when it finds nothing.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from mhg import errors
from mhg.auth import Principal
from mhg.declared import created, endpoint
from mhg.idempotency import Existing, IdempotencyKey, answer_once
from mhg.meta import Meta
from mhg.views import answered
from mhg.web import IfMatch, command_meta, expected_version, on_the_loop

A = TypeVar("A")
_FROM_BODY: Any = object()
_PATH_ID = re.compile(r"{(\w+)}")


class IdempotentCreate:
    """A create at most once per Idempotency-Key. Built on the event loop (`Create`): the
    constructor only keeps the request and the key; the create runs in the route's thread."""

    def __init__(self, request: Request, idempotency_key: IdempotencyKey = None) -> None:
        self.request = request
        self.key = idempotency_key

    def __call__(
        self,
        caller: Principal,
        body: BaseModel,
        *,
        make: Callable[[UUID, Meta], A],
        answer: Callable[[A], BaseModel],
        location: str,
        find: Callable[[UUID], A | None] | None = None,
        operation: str | None = None,
        payload: Any = _FROM_BODY,
    ) -> JSONResponse:
        """Run `make(new id, meta)` once; answer 201 with `answer(resource)` at `location`.

        `location` is formatted with the answer's fields (`/sites/{site_id}/lines/{code}`).
        `operation` and `payload` replace the defaults (the route's operation id and path
        id, the body) where a route scopes its key otherwise.
        """
        meta = command_meta(self.request, caller)

        def created(new_id: UUID) -> dict[str, Any]:
            return answer(make(new_id, meta)).model_dump(mode="json")

        def existing(new_id: UUID) -> Existing | None:
            found = find(new_id) if find is not None else None
            if found is None:
                return None
            saved_on = getattr(found, "created_on", None)
            since = saved_on if isinstance(saved_on, datetime) else None
            return Existing(answer(found).model_dump(mode="json"), since)

        saved_under_id = isinstance(find, Recorded)
        answered = answer_once(
            self.request.app.state.runtime.idempotency,
            caller,
            self.key,
            operation or self._operation(),
            body.model_dump(mode="json") if payload is _FROM_BODY else payload,
            make=created,
            status=201,
            earlier=existing,
            # a new aggregate's save refuses a second one; any other create, its domain
            refused=(errors.DomainError if saved_under_id else errors.Conflict,),
            make_first=saved_under_id,
        )
        return answered.response({"Location": location.format(**answered.body)})

    def _operation(self) -> str:
        route = self.request.scope["route"]
        name = route.operation_id if isinstance(route, APIRoute) else None
        ids = [_canonical(str(value)) for value in self.request.path_params.values()]
        return ":".join([name or route.name, *ids])


def _canonical(value: str) -> str:
    """A path id as the route's parameter holds it (a UUID in its one spelling)."""
    try:
        return str(UUID(value))
    except ValueError:
        return value


Create = Annotated[IdempotentCreate, Depends(on_the_loop(IdempotentCreate))]


def creates(
    router: APIRouter,
    path: str,
    operation_id: str,
    summary: str,
    body: type[BaseModel],
    role: object,
    capability: object,
    command: Callable[[Any], Callable[..., A]],
    answer: Callable[..., BaseModel],
    statuses: Sequence[int],
    *,
    location: str,
    new_id: str | None = None,
    find: Callable[[Any], Callable[[UUID], A | None]] | None = None,
    arguments: Callable[[Any], dict[str, Any]] | None = None,
    versioned: bool = False,
    asks_capability: bool = False,
    description: str | None = None,
) -> None:
    """A create route that runs `command(capability)` with the path's ids (UUIDs), the new
    id as `new_id` (left out where the resource's id follows from its content), `meta` and
    the body's fields (or `arguments(body)` where the command names them otherwise), and
    answers 201 with `answer(resource)` at `location`; `find(capability)` finds a resource a
    retry made already. A create `versioned` adds to a resource the path names, at the
    version the caller read (If-Match): the command is handed it as `expected_version`. An
    answer that `asks_capability` more is `answer(capability, resource)`."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        *(inspect.Parameter(name, kind, annotation=UUID) for name in _PATH_ID.findall(path)),
        inspect.Parameter("body", kind, annotation=body),
        inspect.Parameter("create", kind, annotation=Create),
        inspect.Parameter("capability", kind, annotation=capability),
        inspect.Parameter("caller", kind, annotation=role),
        *(
            [inspect.Parameter("if_match", kind, annotation=IfMatch, default=None)]
            if versioned
            else []
        ),
    ]

    def run(
        body: BaseModel,
        create: IdempotentCreate,
        capability: object,
        caller: Principal,
        if_match: str | None = None,
        **ids: UUID,
    ) -> JSONResponse:
        at = {"expected_version": expected_version(if_match)} if versioned else {}

        def make(made_id: UUID, meta: Meta) -> A:
            named = at if new_id is None else {**at, new_id: made_id}
            fields = body.model_dump() if arguments is None else arguments(body)
            return command(capability)(**ids, **named, meta=meta, **fields)

        finder = None if find is None else find(capability)
        answering = partial(answer, capability) if asks_capability else answer
        return create(caller, body, make=make, answer=answering, location=location, find=finder)

    route = endpoint(operation_id, parameters, run)
    route.__doc__ = summary
    resource = answered(answer)
    created(router, path, operation_id, resource, statuses, description=description)(route)


@dataclass(frozen=True)
class Recorded(Generic[A]):
    """A `find` for a new aggregate the application saves under the new id, which it can
    say exists (`find=recorded(exists, load)`): the save refuses a second one."""

    exists: Callable[[UUID], bool]
    load: Callable[[UUID], A]

    def __call__(self, new_id: UUID) -> A | None:
        return self.load(new_id) if self.exists(new_id) else None


def recorded(exists: Callable[[UUID], bool], load: Callable[[UUID], A]) -> Recorded[A]:
    return Recorded(exists, load)
