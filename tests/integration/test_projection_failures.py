"""A projection that fails on an event stops alone, says so, and is retried or rebuilt."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.poison import NAME, POISON, REFUSED, Poison, poisonable_pair
from tests.integration.services import Pair, service_pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

ADMIN = auth("mso_admin", "ann")


def propose(pair: Pair, name: str) -> str:
    response = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Quad"}, headers=ADMIN
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def metric(pair: Pair, name: str, **labels: str) -> float:
    response = pair.mso.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    raise AssertionError(f"no sample {name} {labels}")


def names(pair: Pair) -> list[str]:
    store = pair.mso_runtime.store
    table = store.metadata.tables[NAME]
    with store.reader.connect() as conn:
        return list(conn.execute(select(table.c.name).order_by(table.c.position)).scalars())


def poison_position(pair: Pair) -> int:
    return pair.mso_runtime.application.head_position()


def test_a_failing_projection_stops_alone_and_says_so(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    with poisonable_pair(monkeypatch, store_url) as pair:
        propose(pair, "Before")
        propose(pair, POISON)
        poisoned_at = poison_position(pair)
        propose(pair, "After")
        pair.mso_runtime.projections.catch_up()
        head = pair.mso_runtime.application.head_position()

        statuses = {s.name: s for s in pair.mso_runtime.projections.statuses()}
        failing = statuses[NAME]
        # stopped just before the poisoned event, having applied the one before it
        assert failing.position == poisoned_at - 1
        assert names(pair) == ["Before"]
        assert failing.failure is not None
        assert failing.failure.position == poisoned_at
        assert failing.failure.topic.endswith("Site.Proposed")
        assert failing.failure.error_type == "OverflowError"
        assert POISON not in failing.failure.message  # the error, never the event's data
        # every other projection went on, including those after it in the list
        assert all(s.position == head for n, s in statuses.items() if n != NAME)
        sites = pair.mso.get("/sites", headers=ADMIN).json()["items"]
        assert {s["name"] for s in sites} == {"Before", POISON, "After"}

        # the failure survives the next rounds: never skipped, never retried silently
        pair.mso_runtime.projections.catch_up()
        assert pair.mso_runtime.projections.statuses()[-1].position == poisoned_at - 1

        ready = pair.mso.get("/readyz")
        assert ready.status_code == 503
        [reason] = [r for r in ready.json()["reasons"] if r["code"] == "projection-failed"]
        assert reason["projection"] == NAME
        assert reason["position"] == poisoned_at
        assert reason["error"].startswith("OverflowError")
        assert metric(pair, "mhg_projection_failed", projection=NAME) == 1
        assert metric(pair, "mhg_projection_failed", projection="mso_sites") == 0
        assert metric(pair, "mhg_projection_lag_events", projection=NAME) == head - poisoned_at + 1

        # a retry without the fix stops at the same event again
        pair.mso_runtime.projections.retry(NAME)
        assert pair.mso_runtime.projections.statuses()[-1].failure is not None

        Poison.armed = False  # the fix
        pair.mso_runtime.projections.retry(NAME)
        assert names(pair) == ["Before", POISON, "After"]
        assert pair.mso.get("/readyz").status_code == 200
        assert metric(pair, "mhg_projection_failed", projection=NAME) == 0


def test_rebuild_clears_a_failure(store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    with poisonable_pair(monkeypatch, store_url) as pair:
        propose(pair, POISON)
        propose(pair, "After")
        pair.mso_runtime.projections.catch_up()
        assert pair.mso.get("/readyz").status_code == 503
        Poison.armed = False
        pair.mso_runtime.projections.rebuild_one(NAME)
        assert names(pair) == [POISON, "After"]
        ready = pair.mso.get("/readyz")
        assert ready.status_code == 200, ready.json()
        assert ready.json()["reasons"] == []


def test_a_read_store_ahead_of_its_log_is_not_ready(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        propose(pair, "Campus A")
        pair.sync()
        runtime = pair.mso_runtime
        tracking = runtime.projections.tracking
        head = runtime.application.head_position()
        with runtime.store.writer.begin() as conn:  # a read-model file of a longer log
            conn.execute(
                tracking.update().where(tracking.c.name == "mso_sites").values(position=head + 581)
            )
        ready = pair.mso.get("/readyz")
        assert ready.status_code == 503
        [reason] = ready.json()["reasons"]
        assert reason["code"] == "read-store-ahead-of-log"
        assert reason["projection"] == "mso_sites"
        assert reason["position"] == head + 581
        assert metric(pair, "mhg_projection_lag_events", projection="mso_sites") == -581

        runtime.projections.rebuild_one("mso_sites")
        assert pair.mso.get("/readyz").status_code == 200
        assert len(pair.mso.get("/sites", headers=ADMIN).json()["items"]) == 1


def test_a_projection_far_behind_is_not_ready(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        runtime = pair.mso_runtime
        runtime.settings = runtime.settings.model_copy(update={"max_projection_lag": 1})
        propose(pair, "Campus A")
        propose(pair, "Campus B")
        reasons = pair.mso.get("/readyz").json()["reasons"]
        assert "projection-lagging" in {r["code"] for r in reasons}
        pair.sync()
        assert pair.mso.get("/readyz").status_code == 200


def test_an_event_the_store_refuses_stops_only_its_projection(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error raised by the database inside the batch (PostgreSQL aborts the transaction)."""
    with poisonable_pair(monkeypatch, store_url) as pair:
        propose(pair, "Before")
        propose(pair, REFUSED)
        refused_at = poison_position(pair)
        propose(pair, "After")
        pair.mso_runtime.projections.catch_up()
        statuses = {s.name: s for s in pair.mso_runtime.projections.statuses()}
        failure = statuses[NAME].failure
        assert failure is not None
        assert (failure.position, failure.error_type) == (refused_at, "IntegrityError")
        assert "Failing row" not in failure.message  # the driver's detail lines stay out
        assert names(pair) == ["Before"]
        head = pair.mso_runtime.application.head_position()
        assert statuses["mso_sites"].position == head
        Poison.armed = False
        pair.mso_runtime.projections.retry(NAME)
        assert names(pair) == ["Before", REFUSED, "After"]
