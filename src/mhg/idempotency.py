"""`Idempotency-Key` on creating POSTs: a retry returns the first response.

The first successful response is stored under (caller, key) with a fingerprint of
the request. The same key with the same request replays it; with another request it
is refused with 422. Creating commands also derive the new aggregate's id from the
key (see `derived_id`), so a crash between saving the events and storing the response
cannot create twice: the retry finds the aggregate and answers with it. Concurrent
twins (the same key and request at once) all answer with the first response: the one
that loses the race to save waits for the winner's stored response instead of reporting
the conflict it lost (ADR 0018). `answer_once` is that whole exchange, for a create, a
decision or a publication alike.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Header
from fastapi.responses import JSONResponse
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError

from mhg.auth import Principal
from mhg.columns import UTCDateTime
from mhg.problems import Problem
from mhg.readstore import ReadStore

NAMESPACE = uuid.UUID("6f1c64a4-3f7e-4d5e-9a59-2b7d2f0c9a11")
TWIN_WAIT = 5.0  # seconds a request waits for a concurrent twin to store its first response

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="Retrying with the same key and body returns the first response",
    ),
]


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(200), primary_key=True),
        Column("key", String(128), primary_key=True),
        Column("operation", String(200), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status", Integer, nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


class RequestPrint(str):
    """A request's fingerprint (stored), with the key its stored response is sealed under
    (never stored): derived from the whole request, which only a retry sends again, so a
    response that echoes patient data is no plain text at rest (ADR 0031)."""

    seal_key: bytes | None = None

    def seal(self, body: str) -> str:
        if self.seal_key is None:
            return body
        nonce = os.urandom(12)
        sealed = AESGCM(self.seal_key).encrypt(nonce, body.encode(), None)
        return SEALED_BODY + base64.b64encode(nonce + sealed).decode()

    def open(self, body: str) -> str:
        if not body.startswith(SEALED_BODY) or self.seal_key is None:
            return body  # stored before responses were sealed
        raw = base64.b64decode(body[len(SEALED_BODY) :])
        return AESGCM(self.seal_key).decrypt(raw[:12], raw[12:], None).decode()


SEALED_BODY = "aesgcm:"


def fingerprint(operation: str, payload: Any) -> RequestPrint:
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), default=str)
    made = RequestPrint(hashlib.sha256(canonical.encode()).hexdigest())
    made.seal_key = hashlib.sha256(b"mhg-idempotent-response|" + canonical.encode()).digest()
    return made


def derived_id(principal: Principal, key: str | None, operation: str) -> uuid.UUID:
    """The id a create gets: fixed by the idempotency key when there is one."""
    if key is None:
        return uuid.uuid4()
    return uuid.uuid5(NAMESPACE, f"{principal.scope}|{operation}|{key}")


def _sealed(print_: str, body: str) -> str:
    return print_.seal(body) if isinstance(print_, RequestPrint) else body


class IdempotencyStore:
    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self.table = store.metadata.tables["idempotency_keys"]

    def replay(
        self, principal: Principal, key: str, operation: str, print_: str
    ) -> StoredResponse | None:
        with self.store.reader.connect() as conn:
            row = conn.execute(
                select(self.table).where(
                    self.table.c.scope == principal.scope, self.table.c.key == key
                )
            ).first()
        if row is None:
            return None
        if row.operation != operation or row.fingerprint != print_:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency key reused with another request",
                f"the key {key!r} was used for a different request; use a new key",
            )
        body = print_.open(row.body) if isinstance(print_, RequestPrint) else row.body
        return StoredResponse(status=row.status, body=json.loads(body))

    def remember(
        self,
        principal: Principal,
        key: str,
        operation: str,
        print_: str,
        response: StoredResponse,
    ) -> StoredResponse:
        """Store the first response under the key; the one stored first if a twin won."""
        try:
            with self.store.writer.begin() as conn:
                conn.execute(
                    self.table.insert().values(
                        scope=principal.scope,
                        key=key,
                        operation=operation,
                        fingerprint=print_,
                        status=response.status,
                        body=_sealed(print_, json.dumps(response.body, default=str)),
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:  # a concurrent retry stored its response first: that one counts
            first = self.replay(principal, key, operation, print_)
            if first is not None:
                return first
        return response

    def await_first(
        self, principal: Principal, key: str, operation: str, print_: str, seconds: float
    ) -> StoredResponse | None:
        """The first response under the key, waiting up to `seconds` for a twin to store it."""
        deadline = time.monotonic() + seconds
        while True:
            stored = self.replay(principal, key, operation, print_)
            if stored is not None or time.monotonic() >= deadline:
                return stored
            time.sleep(0.02)


@dataclass(frozen=True)
class Existing:
    """The answer a request under a key's id made already (a resource created, a decision
    recorded), and when it was saved (None: not known)."""

    body: dict[str, Any]
    saved_on: datetime | None = None

    def twin_wait(self) -> float:
        """How long a request refused by this resource's save waits for the first response:
        up to TWIN_WAIT after the save (a twin storing it), none for one saved long ago (a
        create that stopped before storing its response: answered as a retry at once)."""
        if self.saved_on is None:
            return TWIN_WAIT
        age = (datetime.now(UTC) - self.saved_on).total_seconds()
        return min(TWIN_WAIT, max(0.0, TWIN_WAIT - age))


@dataclass(frozen=True)
class Answered:
    """A keyed request's answer: the first one stored under the key when `replayed`."""

    status: int
    body: dict[str, Any]
    replayed: bool

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        """The answer with `headers`, its ETag (a body with a version) and, replayed,
        `Idempotent-Replayed: true`."""
        sent = dict(headers or {})
        if "version" in self.body:
            sent["ETag"] = f'"{self.body["version"]}"'
        if self.replayed:
            sent["Idempotent-Replayed"] = "true"
        return JSONResponse(self.body, status_code=self.status, headers=sent)


def answer_once(
    keys: IdempotencyStore,
    principal: Principal,
    key: str | None,
    operation: str,
    payload: Any,
    *,
    make: Callable[[uuid.UUID], dict[str, Any]],
    status: int,
    earlier: Callable[[uuid.UUID], Existing | None] | None = None,
    refused: tuple[type[Exception], ...] = (),
    make_first: bool = False,
) -> Answered:
    """Answer a request at most once per (caller, Idempotency-Key): the same key and
    payload get the first answer again, the key with another payload is refused (422).

    `make(id)` does the work under the id the key fixes (a new one without a key) and
    returns the representation; `earlier(id)` returns what a try under that id made
    already (a retry after a crash between saving and storing the response), asked
    before `make` unless `make_first` (its save refuses a second one). When `make`
    raises one of `refused`, a twin with this key may have won: its stored response is
    awaited and answered, else what `earlier` finds; with nothing found the refusal stands.
    """
    if key is None:
        return Answered(status, make(uuid.uuid4()), replayed=False)
    print_ = fingerprint(operation, payload)
    stored = keys.replay(principal, key, operation, print_)
    if stored is not None:
        return Answered(stored.status, stored.body, replayed=True)
    new_id = derived_id(principal, key, operation)
    try:
        found = None if earlier is None or make_first else earlier(new_id)
        body = found.body if found is not None else make(new_id)
    except refused:
        found = None if earlier is None else earlier(new_id)
        if earlier is not None and found is None:
            raise
        wait = TWIN_WAIT if found is None else found.twin_wait()
        first = keys.await_first(principal, key, operation, print_, wait)
        if first is not None:
            return Answered(first.status, first.body, replayed=True)
        current = None if earlier is None else earlier(new_id)  # the twin stopped before storing
        if current is None:
            raise
        body = current.body
    mine = StoredResponse(status, body)
    first = keys.remember(principal, key, operation, print_, mine)
    return Answered(first.status, first.body, replayed=first is not mine)
