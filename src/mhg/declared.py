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
function from a list of parameters and what to do with their values.

FastAPI reads the parameters by name and in order, so the OpenAPI document is the one
that spelling each route out would give.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
