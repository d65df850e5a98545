"""The live catch-up (every projection within a batch of the head) reads the new events
once and moves the projections they do not concern in one statement (ADR 0023), without
ever moving one that another runner changed meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from tests.integration.conftest import ADMIN
from tests.integration.services import Pair

pytestmark = pytest.mark.storage


def propose(pair: Pair, name: str) -> None:
    body = {"name": name, "kind": "campus", "address": "1 Main St"}
    response = pair.mso.post("/sites", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


def positions(pair: Pair) -> dict[str, int]:
    return {s.name: s.position for s in pair.mso_runtime.projections.statuses()}


def test_every_projection_reaches_the_head_and_the_sites_show(pair: Pair) -> None:
    pair.mso_runtime.projections.catch_up()
    propose(pair, "Eastside HS")
    propose(pair, "Westside HS")

    pair.mso_runtime.projections.catch_up()

    head = pair.mso_runtime.application.head_position()
    assert set(positions(pair).values()) == {head}
    listed = pair.mso.get("/sites", headers=ADMIN).json()["items"]
    assert sorted(site["name"] for site in listed) == ["Eastside HS", "Westside HS"]


def test_a_projection_rebuilt_meanwhile_is_not_moved_past_its_replay(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = pair.mso_runtime.projections
    propose(pair, "Eastside HS")
    runner.catch_up()
    propose(pair, "Westside HS")
    quiet = runner.named("mso_site_changes")  # a proposal is none of its business
    assert not any(topic.endswith(":Site.Proposed") for topic in quiet.topics)
    read = runner.app.recorder.select_notifications

    def reset_while_reading(*args: Any, **kwargs: Any) -> Any:
        runner.reset([quiet])  # another runner rebuilds it between our read and our update
        return read(*args, **kwargs)

    monkeypatch.setattr(runner.app.recorder, "select_notifications", reset_while_reading)
    runner.catch_up()
    monkeypatch.undo()

    assert positions(pair)[quiet.name] == 0
    runner.catch_up()
    assert positions(pair)[quiet.name] == runner.app.head_position()


def test_a_live_tick_is_one_read_of_the_positions_and_one_write_transaction(pair: Pair) -> None:
    runner = pair.mso_runtime.projections
    propose(pair, "Eastside HS")
    runner.catch_up()  # the first tick makes each projection's tracking row
    propose(pair, "Westside HS")
    seen: dict[str, int] = {"reads": 0, "commits": 0}

    def read(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # a read of the positions: not SQLite's explicit BEGIN, nor (where the reader is
        # the writer) the write transaction's lock of the positions it moves
        seen["reads"] += statement.startswith("SELECT") and "FOR UPDATE" not in statement

    def committed(*_: Any) -> None:
        seen["commits"] += 1

    event.listen(runner.store.reader, "before_cursor_execute", read)
    event.listen(runner.store.writer, "commit", committed)
    try:
        applied = runner.catch_up()
    finally:
        event.remove(runner.store.reader, "before_cursor_execute", read)
        event.remove(runner.store.writer, "commit", committed)

    head = runner.app.head_position()
    assert set(positions(pair).values()) == {head}
    assert applied >= 1  # the pair runs no projection thread: this tick applied the proposal
    assert seen == {"reads": 1, "commits": 1}
