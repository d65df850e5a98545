"""A client that writes and then reads sees its write: a command answers once the
service's read models show it (ADR 0022). The background projection poll is set to a
minute here, so only the command's own wait can bring a list up to date in time."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from mhg.freshness import LOG_POSITION_HEADER
from mhg.ownership import PROJECTIONS
from tests.conftest import StoreUrl
from tests.integration import poison
from tests.integration.conftest import ADMIN
from tests.integration.services import MSO_OPS, mso_settings

MINUTE = 60.0


def started_mso(store_url: StoreUrl, **settings: Any) -> Iterator[TestClient]:
    config = mso_settings(store_url, run_projections=True, poll_interval=MINUTE, **settings)
    with MSO_OPS.started(config) as mso:
        yield mso


@pytest.fixture
def mso(store_url: StoreUrl) -> Iterator[TestClient]:
    yield from started_mso(store_url)


def propose(mso: TestClient, name: str) -> dict[str, Any]:
    response = mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return {"id": response.json()["id"], "position": response.headers[LOG_POSITION_HEADER]}


def listed(mso: TestClient, name: str) -> list[str]:
    response = mso.get("/sites", params={"limit": 200}, headers=ADMIN)
    assert response.status_code == 200, response.text
    return [site["id"] for site in response.json()["items"] if site["name"] == name]


def test_a_list_read_right_after_a_create_shows_it(mso: TestClient) -> None:
    site = propose(mso, "Eastside HS")

    assert listed(mso, "Eastside HS") == [site["id"]]


def test_the_answer_names_the_log_position_of_what_it_recorded(mso: TestClient) -> None:
    first = propose(mso, "Eastside HS")
    second = propose(mso, "Westside HS")

    assert 0 < int(first["position"]) < int(second["position"])
    runtime = mso.app.state.runtime  # type: ignore[attr-defined]
    assert int(second["position"]) == runtime.application.head_position()


def test_reads_carry_no_position(mso: TestClient) -> None:
    propose(mso, "Eastside HS")

    response = mso.get("/sites", headers=ADMIN)

    assert LOG_POSITION_HEADER not in response.headers


def test_a_refused_command_records_nothing_and_names_no_position(mso: TestClient) -> None:
    response = mso.post("/sites", json={"name": "", "kind": "campus"}, headers=ADMIN)

    assert response.status_code == 422
    assert LOG_POSITION_HEADER not in response.headers


@pytest.mark.storage
def test_concurrent_writers_each_read_their_own_write(mso: TestClient) -> None:
    def write_then_read(n: int) -> bool:
        name = f"Campus {n}"
        site = propose(mso, name)
        return listed(mso, name) == [site["id"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = list(pool.map(write_then_read, range(40)))

    assert seen.count(False) == 0


def test_without_the_wait_a_list_lags_behind_the_write(store_url: StoreUrl) -> None:
    """The control: the same read, the wait turned off, misses the write."""
    for mso in started_mso(store_url, read_after_write_wait=0):
        propose(mso, "Eastside HS")

        assert listed(mso, "Eastside HS") == []


def test_a_projection_stopped_by_a_failure_holds_no_answer(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped projection (ADR 0017) shows in /readyz; the others still show the write."""
    monkeypatch.setattr(poison.mso_app, "PARTS", poison.parts())
    monkeypatch.setattr(poison.Poison, "armed", True)
    for mso in started_mso(store_url, read_after_write_wait=30):
        propose(mso, poison.POISON)
        site = propose(mso, "Eastside HS")

        runtime = mso.app.state.runtime  # type: ignore[attr-defined]
        assert runtime.watermark.reached >= int(site["position"])
        assert listed(mso, "Eastside HS") == [site["id"]]
        assert poison.NAME in {s.name for s in runtime.projections.statuses() if s.failure}


def test_a_store_error_while_watching_the_projections_still_answers_what_was_saved(
    mso: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that does not run the projections watches their stored positions; if the
    store fails it then, the command is saved all the same: it answers 201, unconfirmed
    (seen in a benchmark as an error after the answer had started, on a full server)."""
    runtime = mso.app.state.runtime  # type: ignore[attr-defined]
    monkeypatch.setattr(runtime.ownership, "_held", runtime.ownership._held - {PROJECTIONS})

    def refused() -> None:
        raise OperationalError("SELECT", {}, Exception("too many clients already"))

    monkeypatch.setattr(runtime.projections, "statuses", refused)
    site = propose(mso, "Eastside HS")

    assert int(site["position"]) > 0
    assert runtime.store_errors["read-after-write"] == 1
