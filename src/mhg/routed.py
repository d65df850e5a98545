"""A route declared by the function that answers it, with the problems it names: a route
that `listed`, `shown`, `paged` or `changing` does not declare (a figure as of a day, one
version by number, a sweep)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter

from mhg import problems
from mhg.declared import declared_route

F = TypeVar("F", bound=Callable[..., Any])


def routed(
    router: APIRouter, route: str, operation_id: str, *statuses: int, **described: str
) -> Callable[[F], F]:
    """Declare the decorated function as the route `route` ("GET /audit-readiness"): its
    parameters are the route's, its docstring the summary (a `description` may follow)
    and its return annotation the answer. It admits some roles only, so answers 401 and
    403, and the problems `statuses` name.

        @routed(router, "GET /protocols/in-effect", "listProtocolsInEffect", 422)
        def in_effect(rt: Runtime, _caller: PcReader, site_id: UUID, ...) -> InEffectOut:
            '''Which version of each protocol was in effect at a site, on a day'''
    """
    method, path = route.split(" ", 1)
    return declared_route(
        router,
        path,
        operation_id,
        None,
        None,
        methods=[method],
        responses=problems.responses(401, 403, *statuses),
        **described,
    )
