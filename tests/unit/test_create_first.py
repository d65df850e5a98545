"""A keyed create of a new aggregate is tried first; the resource under the key's id is
looked for only when the save (or the domain) refuses it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID

import pytest
from sqlalchemy import MetaData

from mhg import errors
from mhg.auth import Principal, Role
from mhg.eventstore import StoreLocation
from mhg.idempotency import (
    Answered,
    Existing,
    IdempotencyStore,
    StoredResponse,
    answer_once,
    fingerprint,
    idempotency_table,
)
from mhg.problems import Problem
from mhg.readstore import ReadStore
from mhg.runtime import ServiceRuntime

ANN = Principal(subject="ann", org="mso", role=Role.MSO_ADMIN)


@dataclass
class Things:
    """A store of things that, as the event store, refuses a second save under one id."""

    saved: dict[UUID, tuple[dict[str, Any], datetime]] = field(default_factory=dict)
    saves: int = 0
    looked_for: int = 0

    def create(self, new_id: UUID) -> dict[str, Any]:
        self.saves += 1
        if new_id in self.saved:
            raise errors.ConcurrentUpdate("the resource changed while this request was handled")
        body = {"id": str(new_id), "name": "x"}
        self.saved[new_id] = (body, datetime.now(UTC))
        return body

    def existing(self, new_id: UUID) -> Existing | None:
        self.looked_for += 1
        found = self.saved.get(new_id)
        return None if found is None else Existing(*found)


@pytest.fixture
def runtime(tmp_path: Path) -> ServiceRuntime:
    metadata = MetaData()
    idempotency_table(metadata)
    store = ReadStore(StoreLocation.parse(f"sqlite:///{tmp_path / 'keys.db'}"), metadata)
    store.create_tables()
    return cast(ServiceRuntime, SimpleNamespace(idempotency=IdempotencyStore(store)))


def _create(rt: ServiceRuntime, things: Things, key: str, payload: object = "x") -> Any:
    return _once(rt, key, payload, make=things.create, earlier=things.existing).response()


def _once(
    rt: ServiceRuntime,
    key: str,
    payload: object,
    *,
    make: Callable[[UUID], dict[str, Any]],
    earlier: Callable[[UUID], Existing | None],
) -> Answered:
    """A keyed create of a new aggregate: the save refuses a second one."""
    return answer_once(
        rt.idempotency,
        ANN,
        key,
        "makeThing",
        payload,
        make=make,
        status=201,
        earlier=earlier,
        refused=(errors.DomainError,),
        make_first=True,
    )


def test_a_first_create_saves_without_looking_and_a_retry_replays(runtime: ServiceRuntime) -> None:
    things = Things()
    first = _create(runtime, things, "k1")
    assert (first.status_code, things.saves, things.looked_for) == (201, 1, 0)
    again = _create(runtime, things, "k1")
    assert again.body == first.body
    assert again.headers["idempotent-replayed"] == "true"
    assert (things.saves, things.looked_for) == (1, 0)  # the stored response, nothing made
    with pytest.raises(Problem) as other:
        _create(runtime, things, "k1", payload="y")
    assert other.value.status == 422


def test_a_create_whose_response_was_lost_long_ago_is_answered_from_it_at_once(
    runtime: ServiceRuntime,
) -> None:
    things = Things()
    first = _create(runtime, things, "k2")
    with runtime.idempotency.store.writer.begin() as conn:
        conn.execute(runtime.idempotency.table.delete())  # died before storing the response
    ((new_id, (body, _)),) = things.saved.items()
    things.saved[new_id] = (body, datetime.now(UTC) - timedelta(minutes=1))
    started = time.monotonic()
    retry = _create(runtime, things, "k2")
    assert time.monotonic() - started < 1  # no twin to wait for
    assert (retry.status_code, retry.body) == (201, first.body)
    assert "idempotent-replayed" not in retry.headers
    assert (len(things.saved), things.saves) == (1, 2)  # refused by the save: made once


def test_a_refusal_with_nothing_under_the_key_is_the_callers_answer(
    runtime: ServiceRuntime,
) -> None:
    things = Things()

    def refused(new_id: UUID) -> dict[str, Any]:
        raise errors.RuleViolation("not like that")

    with pytest.raises(errors.RuleViolation):
        _once(runtime, "k3", "x", make=refused, earlier=things.existing)
    assert things.looked_for == 1


def test_a_keyed_answer_without_a_resource_to_find_answers_with_a_twins_stored_response(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the month's readiness publication: the refusal of a twin's save is answered with
    the twin's stored response, and stands when none is stored."""
    keys = runtime.idempotency
    mine = StoredResponse(200, {"revision": 1})

    def lost_to_a_twin(_: UUID) -> dict[str, Any]:
        keys.remember(ANN, "k4", "publish:2026-11", fingerprint("publish:2026-11", "p"), mine)
        raise errors.ConcurrentUpdate("the twin saved first")

    answered = answer_once(
        keys,
        ANN,
        "k4",
        "publish:2026-11",
        "p",
        make=lost_to_a_twin,
        status=200,
        refused=(errors.ConcurrentUpdate,),
    )
    assert (answered.status, answered.body, answered.replayed) == (200, {"revision": 1}, True)

    def refused(_: UUID) -> dict[str, Any]:
        raise errors.ConcurrentUpdate("a publication without a twin")

    monkeypatch.setattr("mhg.idempotency.TWIN_WAIT", 0.05)
    for key in (None, "k6"):  # no twin stored a response: the refusal stands
        with pytest.raises(errors.ConcurrentUpdate):
            answer_once(keys, ANN, key, "publish:2026-12", "p", make=refused, status=200)


def test_a_decision_already_recorded_under_the_keys_id_is_answered_without_deciding_again(
    runtime: ServiceRuntime,
) -> None:
    """As a PC answer whose response was lost: what the key's decision id recorded is the answer."""
    things = Things()

    def accept() -> Answered:
        return answer_once(
            runtime.idempotency,
            ANN,
            "k5",
            "accept:1",
            "a",
            make=things.create,
            status=200,
            earlier=things.existing,
        )

    first = accept()
    with runtime.idempotency.store.writer.begin() as conn:
        conn.execute(runtime.idempotency.table.delete())  # died before storing the response
    again = accept()
    assert (again.body, again.replayed, things.saves) == (first.body, False, 1)
    assert again.response().headers.get("idempotent-replayed") is None
