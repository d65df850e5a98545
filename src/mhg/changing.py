"""A route that changes one resource at the version the caller read, declared by what it
does (a route that creates one is declared the same way by `mhg.declared.created`).

    @changing(router, "/protocols/{protocol_id}/reviews", "recordProtocolReview")
    def record_review(
        protocol_id: UUID, body: ReviewIn, caller: ProtocolDecider, protocols: Protocols, change: Change
    ) -> ProtocolOut:
        '''Record the annual review of the standing version; the next falls due a year on'''
        return ProtocolOut.of(change(caller, protocols.review_protocol, protocol_id, body=body))

The docstring is the route's summary (or `summary`, where one function serves several
routes) and the return annotation its answer (or `answer`, where the function returns a
response itself). Its problems are those of such a change: no credential or role (401,
403), no such resource (404), refused by the resource (409), a version the caller no
longer holds (412), an invalid request (422).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar, get_type_hints

from fastapi import APIRouter

from mhg import problems
from mhg.declared import endpoint

F = TypeVar("F", bound=Callable[..., Any])

CHANGE_PROBLEMS = problems.responses(401, 403, 404, 409, 412, 422)


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
    """Declare the decorated function as the route that makes the change."""
    return declared_route(
        router,
        path,
        operation_id,
        answer,
        summary,
        methods=[method],
        status_code=status_code,
        description=description,
        responses=CHANGE_PROBLEMS,
    )


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
        hints = get_type_hints(write, include_extras=True)
        parameters = [  # the annotations resolved (a made endpoint's are already)
            param.replace(annotation=hints.get(name, param.annotation))
            for name, param in inspect.signature(write).parameters.items()
        ]
        router.add_api_route(
            path,
            endpoint(write.__name__, parameters, write),
            operation_id=operation_id,
            summary=summary or inspect.getdoc(write),
            response_model=answer or hints["return"],
            **route,
        )
        return write

    return declare
