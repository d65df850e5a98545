"""A PC answer taken at most once per Idempotency-Key, at the version the caller read.

The answer's decision id is fixed by the key (a retry after a lost response finds the
decision already made under that id and gets the same body back); without a key each
call is a new decision, and a second answer is refused by the aggregate (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse

from mhg.auth import Principal
from mhg.idempotency import StoredResponse, derived_id, fingerprint
from mhg.runtime import ServiceRuntime


def decide_once(
    rt: ServiceRuntime,
    caller: Principal,
    key: str | None,
    operation: str,
    payload: Any,
    *,
    decide: Callable[[UUID], dict[str, Any]],
    decided: Callable[[UUID], dict[str, Any] | None],
) -> JSONResponse:
    """`decide(decision_id)` answers and returns the representation; `decided(decision_id)`
    returns it if that very decision was recorded already."""
    print_ = fingerprint(operation, payload)
    if key is not None:
        stored = rt.idempotency.replay(caller, key, operation, print_)
        if stored is not None:
            return _response(stored.body, replayed=True)
    decision_id = derived_id(caller, key, operation)
    body = (decided(decision_id) if key is not None else None) or decide(decision_id)
    if key is not None:
        rt.idempotency.remember(caller, key, operation, print_, StoredResponse(200, body))
    return _response(body, replayed=False)


def _response(body: dict[str, Any], *, replayed: bool) -> JSONResponse:
    headers = {"ETag": f'"{body["version"]}"'}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status_code=200, headers=headers)
