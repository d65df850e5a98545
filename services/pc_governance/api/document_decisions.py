"""The routes of a decision on a PC document (a visit template, a readiness standard, a
clinical policy): approving a version, retiring the document.

Each is `POST <document>/<step>` by the decision right's roles, with a body that names
the basis; it runs one command at the version the caller read, handing it the decision
log the basis is checked against, and answers the document. The path's ids are handed to
the command in order (`number`, a version's, is a VersionNumber; the others UUIDs).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.changes import Change, VersionedChange
from mhg.declared import endpoint
from mhg.steps import changing
from mhg.views import answered
from services.pc_governance.api.dependencies import Decisions
from services.pc_governance.api.schemas import VersionNumber
from services.pc_governance.domain.authorization_basis import DecisionLog

_KIND = inspect.Parameter.POSITIONAL_OR_KEYWORD
_PATH_ID = re.compile(r"{(\w+)}")


def decision_route(
    router: APIRouter,
    path: str,
    operation_id: str,
    summary: str,
    body: type[BaseModel],
    decider: object,
    documents: tuple[str, object],
    command: Callable[[Any], Callable[..., Any]],
    answer: Callable[[Any], Any],
    *,
    deciders_first: bool = False,
    check: Callable[[Any, UUID], object] | None = None,
) -> None:
    """Declare the route: `documents` is the capability's parameter (name, annotation),
    after the caller where `deciders_first`; `check(capability, document id)` refuses
    (404) what the path's document id does not name, before anything runs."""
    ids = _PATH_ID.findall(path)
    caller = inspect.Parameter("caller", _KIND, annotation=decider)
    capability = inspect.Parameter(documents[0], _KIND, annotation=documents[1])
    parameters = [
        *(
            inspect.Parameter(name, _KIND, annotation=VersionNumber if name == "number" else UUID)
            for name in ids
        ),
        inspect.Parameter("body", _KIND, annotation=body),
        *((caller, capability) if deciders_first else (capability, caller)),
        inspect.Parameter("change", _KIND, annotation=Change),
        inspect.Parameter("decisions", _KIND, annotation=Decisions),
    ]

    def run(
        body: BaseModel,
        caller: Principal,
        change: VersionedChange,
        decisions: DecisionLog,
        **given: Any,
    ) -> Any:
        documents_of = given.pop(documents[0])
        if check is not None:
            check(documents_of, given[ids[0]])
        decided = change(
            caller,
            command(documents_of),
            *(given[name] for name in ids),
            body=body,
            decision_log=decisions,
        )
        return answer(decided)

    changing(
        router,
        path,
        operation_id,
        summary=summary,
        answer=answered(answer),
    )(endpoint(operation_id, parameters, run))
