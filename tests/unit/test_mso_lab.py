"""Specimens and courier runs: the steps, their times, and what each refuses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.mso_ops.domain import courier_run as run_status
from services.mso_ops.domain import specimen as status
from services.mso_ops.domain.courier_run import MAX_MANIFEST, CourierRun
from services.mso_ops.domain.lab_errors import (
    InvalidCourierRun,
    InvalidCourierRunTransition,
    InvalidManifest,
    InvalidSpecimen,
    InvalidSpecimenTransition,
)
from services.mso_ops.domain.specimen import Specimen
from services.mso_ops.domain.timeline import (
    InvalidStepTime,
    StepTimeInFuture,
    StepTimeOutOfOrder,
)

NOW = datetime(2027, 1, 11, 18, 0, tzinfo=UTC)
COLLECTED = NOW - timedelta(hours=8)
SITE = uuid.UUID("00000000-0000-0000-0000-00000000051e")
CLINICIAN = uuid.UUID("00000000-0000-0000-0000-0000000c11c1")


def meta(actor: str = "sam") -> Meta:
    return Meta(actor, "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def pending(aggregate: Aggregate) -> list[Any]:
    return list(aggregate.collect_events())


def logged(reference: str = "EHS-000123", collected_at: datetime = COLLECTED) -> Specimen:
    return Specimen.log_pickup(
        site_id=SITE,
        service_line="sports_clearance",
        reference=reference,
        collected_at=collected_at,
        now=NOW,
        meta=meta(),
    )


def at_lab(run_id: uuid.UUID) -> Specimen:
    specimen = logged()
    specimen.put_on_run(run_id=run_id, site_id=SITE, meta=meta())
    specimen.depart(run_id=run_id, at=NOW - timedelta(hours=6), now=NOW, meta=meta())
    specimen.deliver(run_id=run_id, at=NOW - timedelta(hours=5), lab="Quest", now=NOW, meta=meta())
    return specimen


def test_a_pickup_is_known_by_site_and_reference_and_its_collection_time_in_utc() -> None:
    pacific = timezone(timedelta(hours=-8))
    specimen = logged(collected_at=datetime(2027, 1, 11, 2, 0, tzinfo=pacific))
    assert specimen.id == Specimen.create_id(SITE, "EHS-000123")
    assert specimen.id != Specimen.create_id(uuid.uuid4(), "EHS-000123")
    assert specimen.status == status.AWAITING_PICKUP
    assert specimen.collected_at == datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
    [event] = pending(specimen)
    assert type(event).__name__ == "PickupLogged"
    assert event.meta.actor_id == "sam"
    assert event.reference == "EHS-000123"


@pytest.mark.parametrize("reference", ["", "HbA1c panel", "-lead", "x" * 65, "tube;drop"])
def test_a_reference_is_an_identifier_not_free_text(reference: str) -> None:
    with pytest.raises(InvalidSpecimen) as refused:
        logged(reference=reference)
    assert isinstance(refused.value, RuleViolation)
    assert refused.value.extensions == {"field": "reference"}


def test_collection_cannot_be_in_the_future_or_without_an_offset() -> None:
    with pytest.raises(StepTimeInFuture):
        logged(collected_at=NOW + timedelta(minutes=6))
    logged(collected_at=NOW + timedelta(minutes=4))  # within the clock skew
    with pytest.raises(InvalidStepTime):
        logged(collected_at=datetime(2027, 1, 11, 9, 0))


def test_the_full_journey_records_every_step_and_its_time() -> None:
    run_id = uuid.uuid4()
    specimen = at_lab(run_id)
    specimen.receive_result(at=NOW - timedelta(hours=1), now=NOW, meta=meta())
    specimen.release_result(clinician_id=CLINICIAN, at=NOW, now=NOW, meta=meta())
    names = [type(e).__name__ for e in pending(specimen)]
    assert names == [
        "PickupLogged",
        "PutOnRun",
        "Departed",
        "DeliveredToLab",
        "ResultReceived",
        "ResultReleased",
    ]
    assert specimen.status == status.RESULT_RELEASED
    assert specimen.run_id == run_id
    assert specimen.lab == "Quest"
    assert specimen.released_to == CLINICIAN
    assert (specimen.departed_at, specimen.delivered_at) == (
        NOW - timedelta(hours=6),
        NOW - timedelta(hours=5),
    )
    assert specimen.result_received_at == NOW - timedelta(hours=1)
    assert specimen.result_released_at == NOW


def test_a_step_before_the_one_it_follows_is_refused_and_changes_nothing() -> None:
    specimen = at_lab(uuid.uuid4())
    pending(specimen)
    with pytest.raises(StepTimeOutOfOrder) as refused:
        specimen.receive_result(at=NOW - timedelta(hours=5, minutes=1), now=NOW, meta=meta())
    assert refused.value.extensions == {"field": "at"}
    assert specimen.status == status.AT_LAB
    assert pending(specimen) == []
    specimen.receive_result(at=NOW - timedelta(hours=5), now=NOW, meta=meta())  # same instant
    with pytest.raises(StepTimeOutOfOrder):
        specimen.release_result(
            clinician_id=CLINICIAN, at=NOW - timedelta(hours=6), now=NOW, meta=meta()
        )


def test_departure_cannot_precede_collection() -> None:
    run_id = uuid.uuid4()
    specimen = logged()
    specimen.put_on_run(run_id=run_id, site_id=SITE, meta=meta())
    with pytest.raises(StepTimeOutOfOrder):
        specimen.depart(run_id=run_id, at=COLLECTED - timedelta(seconds=1), now=NOW, meta=meta())


def test_steps_out_of_turn_are_conflicts_naming_the_current_status() -> None:
    specimen = logged()
    with pytest.raises(InvalidSpecimenTransition) as refused:
        specimen.receive_result(at=NOW, now=NOW, meta=meta())
    assert isinstance(refused.value, Conflict)
    assert refused.value.extensions == {"current_status": "awaiting_pickup"}
    with pytest.raises(InvalidSpecimenTransition):
        specimen.release_result(clinician_id=CLINICIAN, at=NOW, now=NOW, meta=meta())
    with pytest.raises(InvalidSpecimenTransition):
        specimen.depart(run_id=uuid.uuid4(), at=NOW, now=NOW, meta=meta())
    run_id = uuid.uuid4()
    specimen.put_on_run(run_id=run_id, site_id=SITE, meta=meta())
    with pytest.raises(InvalidSpecimenTransition):
        specimen.put_on_run(run_id=uuid.uuid4(), site_id=SITE, meta=meta())
    with pytest.raises(InvalidSpecimenTransition):
        specimen.depart(run_id=uuid.uuid4(), at=NOW, now=NOW, meta=meta())


def test_a_specimen_goes_only_on_a_run_from_its_own_site() -> None:
    with pytest.raises(InvalidManifest) as refused:
        logged().put_on_run(run_id=uuid.uuid4(), site_id=uuid.uuid4(), meta=meta())
    assert refused.value.extensions == {"field": "specimen_ids"}


def test_taken_off_a_cancelled_run_it_waits_for_pickup_again() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    specimen = logged()
    specimen.put_on_run(run_id=first, site_id=SITE, meta=meta())
    with pytest.raises(InvalidSpecimenTransition):
        specimen.take_off_run(run_id=second, meta=meta())
    specimen.take_off_run(run_id=first, meta=meta())
    assert (specimen.status, specimen.run_id) == (status.AWAITING_PICKUP, None)
    specimen.put_on_run(run_id=second, site_id=SITE, meta=meta())
    assert specimen.run_id == second


def plan(specimen_ids: list[uuid.UUID] | None = None, **overrides: Any) -> CourierRun:
    values: dict[str, Any] = {
        "run_id": uuid.uuid4(),
        "site_id": SITE,
        "courier_vendor": " Bay Courier ",
        "lab": "Quest",
        "specimen_ids": specimen_ids if specimen_ids is not None else [uuid.uuid4()],
        "meta": meta(),
        **overrides,
    }
    return CourierRun.plan(**values)


def test_a_run_carries_its_manifest_and_moves_planned_departed_delivered() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    run = plan(ids)
    assert (run.status, run.manifest, run.courier_vendor) == (
        run_status.PLANNED,
        ids,
        "Bay Courier",
    )
    assert run.depart(at=NOW - timedelta(hours=2), now=NOW, meta=meta()) == NOW - timedelta(hours=2)
    with pytest.raises(StepTimeOutOfOrder):
        run.deliver(at=NOW - timedelta(hours=3), now=NOW, meta=meta())
    with pytest.raises(StepTimeInFuture):
        run.deliver(at=NOW + timedelta(hours=1), now=NOW, meta=meta())
    run.deliver(at=NOW, now=NOW, meta=meta())
    assert run.status == run_status.DELIVERED
    assert [type(e).__name__ for e in pending(run)] == ["Planned", "Departed", "Delivered"]


@pytest.mark.parametrize(
    ("specimen_ids", "error"),
    [
        ([], InvalidManifest),
        ([uuid.UUID(int=1), uuid.UUID(int=1)], InvalidManifest),
        ([uuid.uuid4() for _ in range(MAX_MANIFEST + 1)], InvalidManifest),
    ],
    ids=["empty", "twice", "too many"],
)
def test_a_manifest_lists_each_specimen_once(
    specimen_ids: list[uuid.UUID], error: type[Exception]
) -> None:
    with pytest.raises(error):
        plan(specimen_ids)


def test_a_run_names_its_courier_and_lab() -> None:
    with pytest.raises(InvalidCourierRun):
        plan(courier_vendor="  ")
    with pytest.raises(InvalidCourierRun):
        plan(lab="")


def test_only_a_run_that_has_not_left_can_be_cancelled() -> None:
    run = plan()
    run.cancel(reason="courier no-show", meta=meta())
    assert (run.status, run.cancellation_reason) == (run_status.CANCELLED, "courier no-show")
    for move in (
        lambda: run.depart(at=NOW, now=NOW, meta=meta()),
        lambda: run.deliver(at=NOW, now=NOW, meta=meta()),
        lambda: run.cancel(reason="again", meta=meta()),
    ):
        with pytest.raises(InvalidCourierRunTransition):
            move()
    departed = plan()
    departed.depart(at=NOW, now=NOW, meta=meta())
    with pytest.raises(InvalidCourierRunTransition) as refused:
        departed.cancel(reason="too late", meta=meta())
    assert refused.value.extensions == {"current_status": "departed"}
