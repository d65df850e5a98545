"""Adding a part to an aggregate at most once per Idempotency-Key: a credential to a
clinician's file, a finding to a review sample, an assignment to a structure.

The part's id is the new id `Create` gives; the command adds the part under it and
returns the whole aggregate, and the answer shows the one part. A retry after a lost
response finds the part already held and answers the same:

    return add_part(create, caller, body, add=..., whole=..., holds=..., answer=..., location=...)

`add(part id, meta)` runs the command; `whole()` reads the aggregate back for a retry (a
clinician), `holds(whole, part id)` says whether the part is on it, `answer(whole, part
id)` shows the part and `location` is where it lives (`/clinicians/{clinician_id}/...`).
`whole` gives None where the aggregate itself is not recorded yet (nothing is held then).
A route that adds the part at the version the caller read (If-Match) declares
`add: AddPart` and hands over the command and the aggregate's id, as `Change` does:

    return add(caller, quality.record_finding, sample_id, body=body, part="finding_id", ...)

where `...` are `whole` (here a function of the aggregate's id), `holds`, `answer` and
`location`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.creation import Create, IdempotentCreate
from mhg.meta import Meta
from mhg.web import IfMatch, expected_version, on_the_loop

W = TypeVar("W")
Shown = TypeVar("Shown", bound=BaseModel)


def add_part(
    create: IdempotentCreate,
    caller: Principal,
    body: BaseModel,
    *,
    add: Callable[[UUID, Meta], W],
    whole: Callable[[], W | None],
    holds: Callable[[W, UUID], bool],
    answer: Callable[[W, UUID], Shown],
    location: str,
) -> JSONResponse:
    """Run `add(part id, meta)` once; answer 201 with `answer(whole, part id)` at `location`."""

    def added(part_id: UUID, meta: Meta) -> Shown:
        return answer(add(part_id, meta), part_id)

    def held(part_id: UUID) -> Shown | None:
        found = whole()
        if found is None or not holds(found, part_id):
            return None
        return answer(found, part_id)

    return create(caller, body, make=added, find=held, answer=_shown, location=location)


def _shown(part: Shown) -> Shown:
    return part


class VersionedPartAddition:
    """A part added at most once per Idempotency-Key. Built on the event loop (`AddPart`):
    the constructor only keeps the header and the create."""

    def __init__(self, if_match: IfMatch = None, *, create: Create) -> None:
        self.if_match = if_match
        self.create = create

    def __call__(
        self,
        caller: Principal,
        command: Callable[..., W],
        whole_id: Any,
        *,
        body: BaseModel,
        part: str,
        whole: Callable[[Any], W],
        holds: Callable[[W, UUID], bool],
        answer: Callable[[W, UUID], Shown],
        location: str,
    ) -> JSONResponse:
        """Run `command(whole_id, <part>=new id, <body's fields>, expected_version=, meta=)`
        once; `whole(whole_id)` reads the aggregate back for a retry."""
        version = expected_version(self.if_match)
        return add_part(
            self.create,
            caller,
            body,
            add=lambda part_id, meta: command(
                whole_id,
                **{part: part_id},
                **body.model_dump(),
                expected_version=version,
                meta=meta,
            ),
            whole=lambda: whole(whole_id),
            holds=holds,
            answer=answer,
            location=location,
        )


AddPart = Annotated[VersionedPartAddition, Depends(on_the_loop(VersionedPartAddition))]
