"""Changing one aggregate at the version the caller read (and reading one): what such routes share.

A route declares its role, its input and `change: Change`, and hands over the caller,
the application's command and the command's leading arguments (the ids):

    return ClaimOut.of(change(caller, ops.deny_claim, claim_id, body=body))

The body's fields go to the command by name, with the version the caller's `If-Match`
names and the caller's `Meta`; the response carries the aggregate's new ETag. `If-Match`
is read only when the change runs, so the role (the route's own dependency) is checked
first, then the path and body (a 422), and only then the version (a 412).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Request, Response
from pydantic import BaseModel

from mhg import problems
from mhg.auth import Principal
from mhg.meta import Meta
from mhg.web import IfMatch, command_meta, expected_version, on_the_loop, set_etag

# The problems a change may answer: no credential, a role that may not, no such resource,
# a refusal of the domain, a version the caller did not read, an invalid body.
CHANGING = problems.responses(401, 403, 404, 409, 412, 422)


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=Versioned)


class VersionedChange:
    """A change at the version `If-Match` names. Built on the event loop (`Change`): the
    constructor only keeps the request, the response and the header."""

    def __init__(self, request: Request, response: Response, if_match: IfMatch = None) -> None:
        self.request = request
        self.response = response
        self.if_match = if_match

    def meta(self, caller: Principal) -> Meta:
        return command_meta(self.request, caller)

    def expected_version(self) -> int | None:
        return expected_version(self.if_match)

    def answered(self, aggregate: V) -> V:
        set_etag(self.response, aggregate.version)
        return aggregate

    def __call__(
        self,
        caller: Principal,
        command: Callable[..., V],
        *ids: object,
        body: BaseModel | None,
        **given: object,
    ) -> V:
        """Run `command(*ids, <body's fields>, <given>, expected_version=, meta=)`.

        `given` is what the route adds beyond the body: a decision its path names, a port.
        A change that takes nothing but the version has no body (None).
        """
        aggregate = command(
            *ids,
            **(body.model_dump() if body is not None else {}),
            **given,
            expected_version=self.expected_version(),
            meta=self.meta(caller),
        )
        return self.answered(aggregate)


Change = Annotated[VersionedChange, Depends(on_the_loop(VersionedChange))]


def read(response: Response, aggregate: V) -> V:
    """A read of one aggregate: its ETag on the response, so a later change can name it."""
    set_etag(response, aggregate.version)
    return aggregate
