"""The line of saves behind group commit (mhg.groupcommit.SaveLine), without a store: who
writes, how many at once, and what each caller gets back when the write fails."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Event
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent, Tracking

from mhg.groupcommit import Outcome, Save, SaveAbandoned, SaveLine

CONFLICTS = Tracking("conflicts", 1)  # the stand-in write refuses a save tracking this


class Writes:
    """A stand-in for the batch write: records each batch, holds the first one until
    released, answers each save with ids of its own, or raises `fail`."""

    def __init__(self, fail: BaseException | None = None) -> None:
        self.batches: list[list[Save]] = []
        self.release = Event()
        self.fail = fail
        self.next_id = 1

    def __call__(self, batch: list[Save]) -> list[Outcome]:
        self.batches.append(batch)
        if len(self.batches) == 1 and not self.release.wait(5):
            raise AssertionError("the first batch was never released")
        if self.fail is not None:
            raise self.fail
        outcomes: list[Outcome] = []
        for save in batch:
            if save.tracking == CONFLICTS:
                outcomes.append(IntegrityError("version taken"))
                continue
            count = len(save.stored_events)
            outcomes.append(list(range(self.next_id, self.next_id + count)))
            self.next_id += count
        return outcomes


def a_save(events: int = 1, tracking: Tracking | None = None) -> Save:
    stored = [StoredEvent(uuid4(), 1, "topic", b"{}") for _ in range(events)]
    return Save(stored_events=stored, tracking=tracking)


def queued(line: SaveLine, writes: Writes, saves: list[Save]) -> list[Future[list[int]]]:
    """Each save from a thread of its own, in line in order, behind a first batch held by
    `writes` until all are in line; then released."""
    pool = ThreadPoolExecutor(max_workers=len(saves))
    futures: list[Future[list[int]]] = []
    for place, save in enumerate(saves, start=1):
        futures.append(pool.submit(line.save, save))
        wait_in_line(line, place)
    writes.release.set()
    pool.shutdown(wait=True)
    return futures


def wait_in_line(line: SaveLine, saves: int) -> None:
    deadline = time.monotonic() + 5
    while line.waiting != saves:
        assert time.monotonic() < deadline, f"{line.waiting} saves in line, not {saves}"
        time.sleep(0.002)


def test_a_lone_save_is_written_at_once_alone() -> None:
    writes = Writes()
    writes.release.set()
    line = SaveLine(writes)

    assert line.save(a_save(events=3)) == [1, 2, 3]
    assert [len(batch) for batch in writes.batches] == [1]
    assert line.waiting == 0


def test_saves_that_wait_are_written_together_each_with_its_own_ids() -> None:
    writes = Writes()
    line = SaveLine(writes)

    futures = queued(line, writes, [a_save(1), a_save(2), a_save(1), a_save(3)])

    assert [len(batch) for batch in writes.batches] == [1, 3]
    assert [f.result() for f in futures] == [[1], [2, 3], [4], [5, 6, 7]]
    counts = line.counts
    assert (counts.transactions, counts.saves, counts.largest) == (2, 4, 3)


def test_a_batch_is_capped_and_the_rest_written_next() -> None:
    writes = Writes()
    line = SaveLine(writes, cap=4)

    futures = queued(line, writes, [a_save() for _ in range(11)])

    assert [len(batch) for batch in writes.batches] == [1, 4, 4, 2]
    assert [f.result() for f in futures] == [[i] for i in range(1, 12)]


def test_a_conflicting_save_gets_its_own_error_and_the_others_their_ids() -> None:
    writes = Writes()
    line = SaveLine(writes)

    futures = queued(line, writes, [a_save(), a_save(), a_save(tracking=CONFLICTS), a_save()])

    assert futures[2].exception() is not None
    assert isinstance(futures[2].exception(), IntegrityError)
    assert [futures[i].result() for i in (0, 1, 3)] == [[1], [2], [3]]


def test_a_store_error_reaches_every_caller_in_line_in_its_own_thread() -> None:
    """The first batch fails with the store down: the saves that waited behind it get the
    same error at once, rather than a second bound of their own."""
    outage = OperationalError("connection refused")
    writes = Writes(fail=outage)
    line = SaveLine(writes)

    futures = queued(line, writes, [a_save() for _ in range(5)])

    assert [len(batch) for batch in writes.batches] == [1]
    errors = [f.exception() for f in futures]
    assert all(isinstance(error, OperationalError) for error in errors), errors
    assert all(str(error) == "connection refused" for error in errors)
    assert len({id(error) for error in errors}) == 5, "each caller raises an error of its own"
    assert line.waiting == 0
    assert line.counts.transactions == 0


def test_a_bug_in_the_write_reaches_its_caller_and_frees_the_others() -> None:
    writes = Writes(fail=ZeroDivisionError("a bug"))
    line = SaveLine(writes)

    futures = queued(line, writes, [a_save() for _ in range(3)])

    assert isinstance(futures[0].exception(), ZeroDivisionError)  # the one that wrote
    assert isinstance(futures[1].exception(), ZeroDivisionError)  # wrote the second batch
    assert isinstance(futures[2].exception(), SaveAbandoned)  # carried by that one
    assert line.waiting == 0


def test_after_an_outage_the_next_save_tries_the_store_again() -> None:
    writes = Writes(fail=OperationalError("connection refused"))
    writes.release.set()
    line = SaveLine(writes)
    with pytest.raises(OperationalError):
        line.save(a_save())

    writes.fail = None

    assert line.save(a_save(2)) == [1, 2]
    assert [len(batch) for batch in writes.batches] == [1, 1]
