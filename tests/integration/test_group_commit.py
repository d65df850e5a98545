"""Group commit on PostgreSQL (mhg.groupcommit, ADR 0001): concurrent saves written in one
transaction, each still decided against the version it read.

To make a batch certain rather than likely, another connection holds the event log's
table lock while the saves queue: the first save waits for the lock alone (its batch was
taken when it was the only one in line), every later one queues behind it in the
process, and when the lock is released they are written together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from uuid import UUID

import httpx
import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import OperationalError, Tracking
from psycopg import sql

from mhg.errors import ConcurrentUpdate
from mhg.eventstore import AlreadyApplied, ServiceApplication, StoreLocation
from mhg.groupcommit import GroupCommitPostgresProcessRecorder
from mhg.readstore import ensure_schema
from mhg.storebounds import libpq_target
from tests.conftest import StoreUrl
from tests.integration.conftest import ADMIN
from tests.integration.services import Pair
from tests.integration.tcp_proxy import TcpProxy
from tests.integration.test_mso_scheduling_concurrency import served
from tests.integration.test_projection_failures import metric
from tests.integration.test_store_outage import (
    STORE_TIMEOUT,
    assert_unavailable,
    mso,
    proxied,
    timed_post,
)
from tests.unit.test_save_line import wait_in_line

pytestmark = pytest.mark.postgres

SAVERS = 24
WRITERS = 12

__all__ = ["proxied"]  # fixture


class Tally(Aggregate):
    """A test aggregate: created, then counted."""

    @event("Counted")
    def count(self) -> None:
        pass


class Tallies(ServiceApplication):
    pass


@pytest.fixture
def app(store_url: StoreUrl) -> Iterator[Tallies]:
    location = StoreLocation.parse(store_url("tallies"))
    ensure_schema(location)
    application = Tallies(location)
    yield application
    application.close()


def recorder(app: ServiceApplication) -> GroupCommitPostgresProcessRecorder:
    found = app.recorder
    assert isinstance(found, GroupCommitPostgresProcessRecorder)
    return found


@contextmanager
def log_locked(app: Tallies) -> Iterator[None]:
    """The event log's table lock, held by another connection until the block ends."""
    store = recorder(app)
    with psycopg.connect(**libpq_target(app.location.url)) as conn:
        table = sql.Identifier(store.datastore.schema, store.events_table_name)
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        yield
        conn.rollback()


def in_one_batch(app: Tallies, lone: Callable[[], None], *saves: Callable[[], None]) -> list[str]:
    """Runs `lone` and then `saves`, each in a thread of its own and in line in that order,
    with the log locked until all are in line: `lone` is written alone, `saves` together.
    What became of each, in order."""
    outcomes = ["pending"] * (1 + len(saves))

    def run(index: int, save: Callable[[], None]) -> None:
        try:
            save()
        except (ConcurrentUpdate, AlreadyApplied) as refused:
            outcomes[index] = type(refused).__name__
        else:
            outcomes[index] = "saved"

    line = recorder(app).line
    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate((lone, *saves))]
    with log_locked(app):
        for place, thread in enumerate(threads, start=1):
            thread.start()  # in line in this order
            wait_in_line(line, place)
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def new_tally(app: Tallies, made: list[UUID] | None = None) -> Callable[[], None]:
    def save() -> None:
        tally = Tally()
        tally.count()
        if made is not None:
            made.append(tally.id)
        app.record(tally)

    return save


def test_concurrent_saves_share_one_transaction_with_gap_free_ids_in_commit_order(
    app: Tallies,
) -> None:
    made: list[UUID] = []
    outcomes = in_one_batch(
        app, new_tally(app, made), *(new_tally(app, made) for _ in range(SAVERS))
    )

    assert outcomes == ["saved"] * (SAVERS + 1)
    counts = recorder(app).line.counts
    assert (counts.transactions, counts.saves, counts.largest) == (2, SAVERS + 1, SAVERS)
    assert counts.conflicted == 0
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    assert [n.id for n in notifications] == list(range(1, 2 * (SAVERS + 1) + 1))  # no gaps
    # each save's two events side by side, the lone save's first
    by_save = [notifications[i].originator_id for i in range(0, len(notifications), 2)]
    assert [notifications[i + 1].originator_id for i in range(0, len(notifications), 2)] == by_save
    assert by_save[0] == made[0]
    assert sorted(by_save, key=str) == sorted(made, key=str)
    for tally_id in made:
        assert app.repository.get(tally_id).version == 2


def test_a_lost_race_in_a_batch_fails_only_its_own_save(app: Tallies) -> None:
    contested = Tally()
    app.record(contested)
    first, second = app.repository.get(contested.id), app.repository.get(contested.id)
    made: list[UUID] = []

    def counting(copy: Tally) -> Callable[[], None]:
        def save() -> None:
            copy.count()
            app.record(copy)

        return save

    others = [new_tally(app, made) for _ in range(6)]
    outcomes = in_one_batch(
        app, new_tally(app, made), *others[:3], counting(first), counting(second), *others[3:]
    )

    assert outcomes[4:6] == ["saved", "ConcurrentUpdate"], "the first in line wins"
    assert outcomes[:4] + outcomes[6:] == ["saved"] * 7
    assert app.repository.get(contested.id).version == 2
    assert all(app.repository.get(tally_id).version == 2 for tally_id in made)
    counts = recorder(app).line.counts
    assert counts.conflicted == 1
    assert counts.transactions == 3  # the first save, the lone one, the batch
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    assert len(notifications) == 1 + 2 * 7 + 1  # created, 7 new tallies, the winner's count
    # the batch's whole try took ids before it was rolled back: a gap, as a lone lost race
    # leaves one, and nothing committed below an id already read (commit order holds)
    ids = [n.id for n in notifications]
    assert ids[:3] == [1, 2, 3]
    assert ids == sorted(set(ids))


def test_a_position_applied_before_refuses_only_that_save(app: Tallies) -> None:
    app.record(tracking=Tracking("pc-feed", 5))
    made: list[UUID] = []
    duplicate = Tally()
    fresh = Tally()

    outcomes = in_one_batch(
        app,
        new_tally(app, made),
        new_tally(app, made),
        lambda: app.record(duplicate, tracking=Tracking("pc-feed", 5)),
        lambda: app.record(fresh, tracking=Tracking("lab-feed", 1)),
        new_tally(app, made),
    )

    assert outcomes == ["saved", "saved", "AlreadyApplied", "saved", "saved"]
    assert duplicate.id not in app.repository
    assert fresh.id in app.repository
    assert app.consumed_position("pc-feed") == 5
    assert app.consumed_position("lab-feed") == 1
    assert all(tally_id in app.repository for tally_id in made)
    assert recorder(app).line.counts.conflicted == 1


def test_a_lone_conflicting_save_is_refused_without_a_second_try(app: Tallies) -> None:
    tally = Tally()
    app.record(tally)
    stale = app.repository.get(tally.id)
    tally.count()
    app.record(tally)
    stale.count()

    with pytest.raises(ConcurrentUpdate):
        app.record(stale)

    assert recorder(app).line.counts.conflicted == 0
    assert app.repository.get(tally.id).version == 2


def test_the_service_counts_its_saves_per_transaction_in_metrics(pair: Pair) -> None:
    site = {"name": "Counted Clinic", "kind": "clinic", "address": "1 Main St"}
    before = metric(pair, "mhg_store_group_commit_saves_total")
    for _ in range(3):
        assert pair.mso.post("/sites", json=site, headers=ADMIN).status_code == 201

    assert metric(pair, "mhg_store_group_commit_saves_total") == before + 3
    counts = recorder(pair.mso_runtime.application).line.counts
    assert metric(pair, "mhg_store_group_commits_total") == counts.transactions
    assert metric(pair, "mhg_store_group_commit_conflicted_total") == counts.conflicted


def test_writers_behind_a_batch_the_store_failed_get_503_within_one_bound(
    proxied: tuple[str, TcpProxy],
) -> None:
    """In an outage, the writes that waited behind a failing batch are answered with its
    error at once, not after a bound of their own (ADR 0018's time holds for each)."""
    url, proxy = proxied
    with mso(url) as (client, runtime), served(client.app) as base_url:
        head = runtime.application.head_position()
        clients = [httpx.Client(base_url=base_url, timeout=30) for _ in range(WRITERS)]
        for http in clients:
            http.get("/healthz")  # connected before the outage starts

        def write(index: int) -> tuple[httpx.Response, float]:
            time.sleep(0.05 * index)  # the first write is trying the store; the rest queue
            return timed_post(clients[index], f"Writer {index}")

        proxy.set("refuse")
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            outcomes = list(pool.map(write, range(WRITERS)))
        for http in clients:
            http.close()

        for response, elapsed in outcomes:
            assert_unavailable(response, elapsed)
        assert max(elapsed for _, elapsed in outcomes) < STORE_TIMEOUT + 0.5, outcomes
        proxy.set("forward")
        deadline = time.monotonic() + 60
        while True:  # the pool reconnects in its own time
            try:
                assert runtime.application.head_position() == head  # nothing committed
                break
            except OperationalError:
                assert time.monotonic() < deadline, "the store did not come back"
                time.sleep(0.5)
