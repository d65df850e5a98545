"""Background work held by one process at a time, and the store created by one at a time
(mhg.ownership, ADR 0022): PostgreSQL advisory locks, on the test's own schema."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from mhg.eventstore import StoreLocation
from mhg.ownership import FOLLOWER, PROJECTIONS, SEALER, Ownership, lock_key, schema_owner
from mhg.storebounds import libpq_target
from tests.conftest import StoreUrl

pytestmark = pytest.mark.postgres


@pytest.fixture
def location(store_url: StoreUrl) -> StoreLocation:
    return StoreLocation.parse(store_url("mso_ops"))


@pytest.fixture
def two(location: StoreLocation) -> Iterator[tuple[Ownership, Ownership]]:
    """Two processes of MSO Operations on one store, as far as ownership goes."""
    first, second = Ownership(location, "mso-ops"), Ownership(location, "mso-ops")
    yield first, second
    first.release()
    second.release()


def test_only_one_of_two_holders_does_a_chore(two: tuple[Ownership, Ownership]) -> None:
    first, second = two
    assert first.holds(PROJECTIONS)
    assert not second.holds(PROJECTIONS)
    assert first.holds(PROJECTIONS), "a holder keeps its chore tick after tick"
    assert not second.holds(PROJECTIONS)
    assert second.holds(SEALER), "each chore has a lock of its own"
    assert not first.holds(SEALER)
    assert first.held == [PROJECTIONS]
    assert second.held == [SEALER]


def test_a_released_chore_is_taken_by_the_other(two: tuple[Ownership, Ownership]) -> None:
    first, second = two
    assert first.holds(FOLLOWER)
    first.release()
    assert first.held == []
    assert second.holds(FOLLOWER)
    assert not first.holds(FOLLOWER)


def test_a_closed_connection_releases_the_chore(
    location: StoreLocation, two: tuple[Ownership, Ownership]
) -> None:
    """What a killed process leaves: its session ends, PostgreSQL drops its locks."""
    first, second = two
    assert first.holds(PROJECTIONS)
    _terminate(location, PROJECTIONS)
    assert second.holds(PROJECTIONS)
    assert not first.holds(PROJECTIONS), "the old holder notices and does not take it back"
    assert first.held == []
    assert first.store_errors == {"ownership": 1}


def test_chores_of_other_services_and_schemas_do_not_collide(
    location: StoreLocation, store_url: StoreUrl
) -> None:
    other_schema = StoreLocation.parse(store_url("other"))
    holders = [
        Ownership(location, "mso-ops"),
        Ownership(location, "pc-governance"),
        Ownership(other_schema, "mso-ops"),
    ]
    try:
        assert all(holder.holds(PROJECTIONS) for holder in holders)
    finally:
        for holder in holders:
            holder.release()


def test_on_sqlite_the_one_process_holds_everything(tmp_path: Path) -> None:
    location = StoreLocation.parse(f"sqlite:///{tmp_path}/one.sqlite")
    first, second = Ownership(location, "mso-ops"), Ownership(location, "mso-ops")
    assert first.holds(PROJECTIONS)
    assert second.holds(PROJECTIONS)
    assert first.held == [PROJECTIONS]


def test_schema_creation_waits_for_the_process_creating_it(location: StoreLocation) -> None:
    order: list[str] = []

    def other() -> None:
        with schema_owner(location):
            order.append("other in")
        order.append("other out")

    with schema_owner(location):
        order.append("first in")
        waiting = threading.Thread(target=other)
        waiting.start()
        time.sleep(0.5)
        order.append("first out")
    waiting.join(timeout=10)
    assert order == ["first in", "first out", "other in", "other out"]


def test_lock_keys_are_stable_64_bit_integers() -> None:
    key = lock_key("chore", "public", "mso-ops", PROJECTIONS)
    assert key == lock_key("chore", "public", "mso-ops", PROJECTIONS)
    assert -(2**63) <= key < 2**63
    assert key != lock_key("chore", "public", "mso-ops", SEALER)


def _terminate(location: StoreLocation, chore: str) -> None:
    """End the session holding a chore's lock, as PostgreSQL does when its process dies."""
    key = lock_key("chore", location.schema or "public", "mso-ops", chore)
    with psycopg.connect(**libpq_target(location.url), autocommit=True) as admin:
        # a bigint advisory key is shown as its high and low 32 bits
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND granted AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
            ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
        ).fetchall()
    assert ended == [(True,)]
    time.sleep(0.2)
