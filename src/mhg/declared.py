"""One route body declared for several routes that differ only in input model and role.

Routes such as "approve a version" and "retire a version" take the same path ids, load
the same aggregate and answer the same way; they differ in the path's last step, the
body's model, the role admitted and the command run. A route factory writes the body
once, with the parameters that vary annotated by a stand-in type, and `given` puts in
the real ones before the route is registered:

    def _version_step(step: str, body: type[BaseModel], caller: object, ...) -> None:
        def change_version(protocol_id: UUID, body: BaseModel, caller: Principal, ...):
            ...
        router.post(f"/protocols/{{protocol_id}}/{step}", ...)(
            given(change_version, body=body, caller=caller)
        )

Where even the parameters' names vary (the ids a path names), `endpoint` makes a route
function from a list of parameters and what to do with their values; `declared_route`
declares a function as a route; `listed` a list route by its filters alone, `shown` a
route that shows one resource, `created` one that creates it (its steps: `mhg.steps`).
FastAPI reads the parameters by name and in order, so the OpenAPI document is the one
that spelling each route out would give.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import APIRouter, Response
from pydantic import BaseModel

from mhg import problems
from mhg.listing import Listing
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from mhg.web import set_etag

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


def given(endpoint: F, **annotations: object) -> F:
    """`endpoint`, its named parameters annotated anew (a model, an `Annotated` role)."""
    unknown = set(annotations) - set(endpoint.__annotations__)
    if unknown:
        raise TypeError(f"{endpoint.__name__} has no parameters {sorted(unknown)}")
    endpoint.__annotations__ = {**endpoint.__annotations__, **annotations}
    return endpoint


def endpoint(
    name: str, parameters: Sequence[inspect.Parameter], run: Callable[..., R]
) -> Callable[..., R]:
    """A route function named `name`, taking `parameters`: `run(**their values)`."""

    def call(**values: Any) -> R:
        return run(**values)

    call.__name__ = call.__qualname__ = name
    # what `inspect.signature`, and so FastAPI, reads for the parameters
    call.__dict__["__signature__"] = inspect.Signature(parameters)
    return call


def declared_route(
    router: APIRouter,
    path: str,
    operation_id: str,
    answer: Any,
    summary: str | None,
    **route: Any,
) -> Callable[[F], F]:
    """The decorated function as a route: its parameters (their annotations resolved), its
    docstring as the summary and its return annotation as the answer unless `summary` or
    `answer` are given; `route` is the rest `add_api_route` is told (methods, problems)."""

    def declare(write: F) -> F:
        signature = _signature(write)  # the annotations resolved (a made endpoint's are already)
        router.add_api_route(
            path,
            endpoint(write.__name__, list(signature.parameters.values()), write),
            operation_id=operation_id,
            summary=summary or inspect.getdoc(write),
            response_model=answer or signature.return_annotation,
            **route,
        )
        return write

    return declare


def listed(
    router: APIRouter,
    path: str,
    operation_id: str,
    listing: Listing[Any],
    reader: object,
    *,
    description: str | None = None,
) -> Callable[[F], F]:
    """A list route declared by its filters: the decorated function's parameters (types,
    defaults) are the query's filters and its docstring the summary; before them the route
    takes the reader's role, a cursor and a limit, and it answers `listing.page(...)`:

        @listed(router, "/meetings", "listMeetings", MEETINGS, PcReader)
        def list_meetings(period: Period | None = None) -> None:
            '''Governance meetings, in the order they were scheduled'''

    A list under one resource (`/sites/{site_id}/changes`) takes that resource's id, and
    what finds it, as parameters without a default; the function's body checks that it
    exists (a 404) before the page is read; what the listing declares of them filters it.
    """

    def declare(filters: F) -> F:
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        required, queried = _own_parameters(filters)
        unknown = {param.name for param in queried} - set(listing.filters)
        if unknown:  # a programming error in the route, not a client's
            raise TypeError(f"{listing.table} declares no filter {sorted(unknown)}")
        parameters = [
            *required,
            inspect.Parameter("rt", kind, annotation=Runtime),
            inspect.Parameter("_caller", kind, annotation=reader),
            inspect.Parameter("cursor", kind, annotation=CursorParam, default=None),
            inspect.Parameter("limit", kind, annotation=LimitParam, default=50),
            *queried,
        ]

        def page(
            rt: Runtime, _caller: object, cursor: str | None, limit: int, **values: Any
        ) -> Any:
            filters(**values)
            declared = {name: value for name, value in values.items() if name in listing.filters}
            return listing.page(rt, cursor, limit, **declared)

        response_model = _page_of(listing.row)
        statuses = (404, 422) if "{" in path else (422,)
        _add_get(
            router,
            path,
            operation_id,
            filters,
            parameters,
            page,
            response_model,
            description,
            *statuses,
        )
        return filters

    return declare


def _own_parameters(
    declared: Callable[..., Any],
) -> tuple[list[inspect.Parameter], list[inspect.Parameter]]:
    """The declaring function's parameters, their annotations resolved: those without a
    default (the path's ids, a capability) and those with one (the query's)."""
    own = list(_signature(declared).parameters.values())
    required = [param for param in own if param.default is inspect.Parameter.empty]
    return required, [param for param in own if param not in required]


def _signature(declared: Callable[..., Any]) -> inspect.Signature:
    """The function's signature, its annotations evaluated where it was written."""
    return inspect.signature(declared, eval_str=True)


def _page_of(row: type[Any]) -> Any:
    """`Page[row]`, the response model of a list route, for a row known only when it runs."""
    generic: Any = Page
    return generic[row]


def shown(
    router: APIRouter,
    path: str,
    operation_id: str,
    reader: object,
    *,
    description: str | None = None,
    versioned: bool = True,
) -> Callable[[F], F]:
    """A route that shows one resource, declared by how it is read: the decorated function's
    parameters (the path's ids, a capability) are the route's, its docstring the summary and
    its return annotation the answer, whose `version` goes out as the ETag (for If-Match):

        @shown(router, "/meetings/{meeting_id}", "getMeeting", PcReader)
        def get_meeting(meeting_id: UUID, meetings: Meetings) -> MeetingOut:
            '''One meeting: agenda, attendance, motions and votes, minutes'''
            return MeetingOut.of(meetings.meeting(meeting_id))

    What no change names by its version (a history, a provenance) is shown `versioned=False`,
    without an ETag. A resource there is one of (`/supervision/rules`), read with no path id
    nor query, cannot be asked for invalidly: it declares no 422.
    """

    def declare(show: F) -> F:
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        required, optional = _own_parameters(show)
        parameters = [
            *required,
            inspect.Parameter("response", kind, annotation=Response),
            inspect.Parameter("_caller", kind, annotation=reader),
            *optional,
        ]

        def answer(response: Response, _caller: object, **values: Any) -> Any:
            resource = show(**values)
            if versioned:
                set_etag(response, resource.version)
            return resource

        # a resource the path names, or a query, may be asked for invalidly (422)
        invalid = (422,) if "{" in path or optional else ()
        model = _signature(show).return_annotation
        _add_get(
            router, path, operation_id, show, parameters, answer, model, description, 404, *invalid
        )
        return show

    return declare


def _add_get(
    router: APIRouter,
    path: str,
    operation_id: str,
    declared: Callable[..., Any],
    parameters: Sequence[inspect.Parameter],
    run: Callable[..., Any],
    response_model: Any,
    description: str | None,
    *statuses: int,
) -> None:
    """A GET route whose summary is the declaring function's docstring."""
    route = endpoint(declared.__name__, parameters, run)
    statuses = (401, 403, *statuses)
    _add(router, "GET", path, operation_id, declared, route, response_model, description, statuses)


def _add(
    router: APIRouter,
    method: str,
    path: str,
    operation_id: str,
    declared: Callable[..., Any],
    route: Callable[..., Any],
    response_model: Any,
    description: str | None,
    statuses: Sequence[int],
    status_code: int | None = None,
) -> None:
    """A route answering the problems `statuses` name, its summary the declaring function's
    docstring."""
    router.add_api_route(
        path,
        route,
        methods=[method],
        operation_id=operation_id,
        summary=inspect.getdoc(declared),
        description=description,
        status_code=status_code,
        response_model=response_model,
        responses=problems.responses(*statuses),
    )


def created(
    router: APIRouter,
    path: str,
    operation_id: str,
    resource: type[BaseModel],
    statuses: Sequence[int],
    *,
    description: str | None = None,
) -> Callable[[F], F]:
    """A route that creates a resource at most once per Idempotency-Key (`Create`), declared
    by the function that creates it: its parameters are the route's, its docstring the
    summary; it answers 201 with `resource`, and the problems `statuses` name:

        @created(router, "/vendors", "registerVendor", VendorOut, (401, 403, 422))
        def register_vendor(body: VendorIn, create: Create, ...) -> JSONResponse:
            '''Register a vendor'''
            return create(caller, body, make=..., answer=VendorOut.of, location="/vendors/{id}")
    """

    def declare(create: F) -> F:
        route = endpoint(create.__name__, list(_signature(create).parameters.values()), create)
        _add(
            router, "POST", path, operation_id, create, route, resource, description, statuses, 201
        )
        return create

    return declare
