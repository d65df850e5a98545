"""A PC answer taken at most once per Idempotency-Key, at the version the caller read.

The answer's decision id is fixed by the key (a retry after a lost response finds the
decision already made under that id and gets the same body back); without a key each
call is a new decision, and a second answer is refused by the aggregate (409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.idempotency import Existing, IdempotencyKey, answer_once
from mhg.routes import Runtime
from mhg.runtime import ServiceRuntime
from mhg.web import IfMatch, command_meta, expected_version
from services.pc_governance.domain.msa import Answer


class Answerable(Protocol):
    """What the PC answers once: a fee schedule proposal or an invoice."""

    @property
    def answer(self) -> Answer | None: ...


Subject = TypeVar("Subject", bound=Answerable)


@dataclass(frozen=True)
class AnswerRequest:
    """What an answer route reads besides its subject, body and caller."""

    request: Request
    rt: ServiceRuntime
    if_match: str | None
    idempotency_key: str | None

    def answer(
        self,
        caller: Principal,
        body: BaseModel,
        command: Callable[..., Subject],
        subject_id: Any,
        *,
        current: Callable[[Any], Subject],
        out: Callable[[Subject], BaseModel],
        **given: object,
    ) -> JSONResponse:
        """`command(subject_id, <given>, decision_id=, expected_version=, meta=)` answers
        and returns the subject; `current(subject_id)` reads it, for a retry whose
        decision was recorded already. The Idempotency-Key is scoped to the route's
        operation id and the subject (`acceptMsaInvoice:<invoice id>`)."""
        route = self.request.scope["route"]
        operation = f"{route.operation_id}:{subject_id}"
        meta = command_meta(self.request, caller)
        version = expected_version(self.if_match)

        def decide(decision_id: UUID) -> dict[str, Any]:
            subject = command(
                subject_id, **given, decision_id=decision_id, expected_version=version, meta=meta
            )
            return out(subject).model_dump(mode="json")

        def decided(decision_id: UUID) -> Existing | None:
            subject = current(subject_id)
            if subject.answer is None or subject.answer.decision_id != decision_id:
                return None
            return Existing(out(subject).model_dump(mode="json"))

        answered = answer_once(
            self.rt.idempotency,
            caller,
            self.idempotency_key,
            operation,
            body.model_dump(mode="json"),
            make=decide,
            status=200,
            earlier=decided,
        )
        return answered.response()


@dataclass(frozen=True)
class SubjectAnswer(Generic[Subject]):
    """Answering one kind of subject: its command, how to read it, how to show it."""

    answering: AnswerRequest
    command: Callable[..., Subject]
    current: Callable[[Any], Subject]
    out: Callable[[Subject], BaseModel]

    def __call__(
        self, caller: Principal, subject_id: Any, body: BaseModel, **given: object
    ) -> JSONResponse:
        return self.answering.answer(
            caller, body, self.command, subject_id, current=self.current, out=self.out, **given
        )


async def answer_request(
    request: Request,
    rt: Runtime,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> AnswerRequest:
    """On the event loop: it keeps what the request gives (the answer runs in the route)."""
    return AnswerRequest(request, rt, if_match, idempotency_key)


Answering = Annotated[AnswerRequest, Depends(answer_request)]
