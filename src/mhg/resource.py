"""A resource's own two routes as rows of its table: its create and its show.

A resource lives at a path that names it by one id, is read through one capability by a
`load` of that capability, and is answered as `answer` shows it:

    VENDOR = Resource(router, "/vendors/{vendor_id}", Vendors, VendorOut.of, lambda v: v.vendor)
    VENDOR.created("registerVendor", "Register a vendor", VendorIn, OpsCoordinator,
                   lambda vendors: vendors.register_vendor)
    VENDOR.shown("getVendor", "One vendor and its contracts", OpsReader)

The create is `POST /vendors`, at most once per Idempotency-Key (`mhg.creation`): for
an OpsCoordinator it runs `vendors.register_vendor(vendor_id=<new id>, meta=..., **the
body's fields)` and answers 201 with the vendor at `/vendors/{id}`; a key used again
finds the vendor its first try saved (`recorded`, by the capability's `exists` and the
`load`). A resource whose id follows from its content (a clinician's, from the NPI) is
created `keyed=False`: the command takes no id, and a repeat is its own 409. A body whose
fields are not the command's arguments one for one says what they are (`arguments`). The show is `GET /vendors/{vendor_id}` (`mhg.declared.shown`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.creation import Create, IdempotentCreate, recorded
from mhg.declared import created, shown
from mhg.meta import Meta
from mhg.views import answered

_LAST_ID = re.compile(r"/{(\w+)}$")

Command = Callable[[Any], Callable[..., Any]]


class Keeping(Protocol):
    """A capability, as far as a create needs it: whether anything is saved under an id."""

    def exists(self, aggregate_id: UUID) -> bool: ...


def _fields(body: BaseModel) -> dict[str, Any]:
    return body.model_dump()


class Resource:
    """One resource's table: its path, the capability it is read through, how it is loaded
    (`load(capability)(id)`) and answered; its rows declare the routes (`created`, `shown`)."""

    def __init__(
        self,
        router: APIRouter,
        path: str,
        capability: object,
        answer: Callable[[Any], Any],
        load: Command,
        *,
        key: object = UUID,
    ) -> None:
        found = _LAST_ID.search(path)
        if found is None:  # a programming error in the route, not a client's
            raise TypeError(f"{path} names no resource by its last segment")
        self.router = router
        self.path = path
        self.id = found.group(1)
        self.collection = path[: found.start()]
        self.capability = capability
        self.answer = answer
        self.load = load
        self.key = key  # what the path's id is: a UUID unless declared otherwise
        self.model = answered(answer)

    def created(
        self,
        operation_id: str,
        summary: str,
        body: type[BaseModel],
        role: object,
        command: Command,
        *,
        statuses: Sequence[int] = (401, 403, 409, 422),
        keyed: bool = True,
        arguments: Callable[[Any], dict[str, Any]] = _fields,
        given: dict[str, object] | None = None,
    ) -> None:
        """`POST <collection>`: the resource made by `command(capability)`, handed what the
        dependencies `given` names as well (`{"decision_log": Decisions}`)."""

        def post(
            body: BaseModel,
            capability: Keeping,
            caller: Principal,
            create: IdempotentCreate,
            **handed: object,
        ) -> JSONResponse:
            def make(new_id: UUID, meta: Meta) -> Any:
                named = {self.id: new_id} if keyed else {}
                return command(capability)(**named, meta=meta, **handed, **arguments(body))

            find = recorded(capability.exists, self.load(capability)) if keyed else None
            location = f"{self.collection}/{{id}}"
            return create(caller, body, make=make, find=find, answer=self.answer, location=location)

        parameters = [("body", body), ("capability", self.capability), ("caller", role)]
        parameters += [*(given or {}).items(), ("create", Create)]
        created(self.router, self.collection, operation_id, self.model, statuses)(
            _route(operation_id, summary, parameters, post)
        )

    def shown(self, operation_id: str, summary: str, reader: object) -> None:
        """`GET <path>`: the resource the path names, as `answer` shows it."""

        def show(capability: object, **ids: object) -> Any:
            return self.answer(self.load(capability)(ids[self.id]))

        parameters = [(self.id, self.key), ("capability", self.capability)]
        shown(self.router, self.path, operation_id, reader)(
            _route(operation_id, summary, parameters, show, self.model)
        )


def _route(
    name: str,
    summary: str,
    parameters: list[tuple[str, Any]],
    run: Callable[..., Any],
    answer: Any = inspect.Signature.empty,
) -> Callable[..., Any]:
    """A route function named `name`, its docstring `summary`, taking `parameters`."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD

    def call(**values: Any) -> Any:
        return run(**values)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = summary
    call.__dict__["__signature__"] = inspect.Signature(
        [inspect.Parameter(name, kind, annotation=value) for name, value in parameters],
        return_annotation=answer,
    )
    return call
