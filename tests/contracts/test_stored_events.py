"""Stored events stay loadable: the guard of ADR 0021 (regenerate: see stored_events.py)."""

from copy import deepcopy
from typing import Any

from tests.contracts.stored_events import (
    REGENERATE,
    compatible_changes,
    current_shapes,
    incompatible_changes,
    missing_upcasters,
    read_snapshot,
)

TOPIC = "services.example:Booking.Booked"
SNAPSHOT: dict[str, Any] = {
    TOPIC: {"class_version": 1, "fields": {"site_id": False, "note": True}, "upcasters": []}
}


def _changed(**shape: Any) -> dict[str, Any]:
    current = deepcopy(SNAPSHOT)
    current[TOPIC].update(shape)
    return current


def test_no_stored_event_changed_incompatibly() -> None:
    problems = incompatible_changes(read_snapshot(), current_shapes())
    assert not problems, "stored events would not load (ADR 0021):\n" + "\n".join(problems)


def test_every_class_version_has_its_upcasters() -> None:
    assert missing_upcasters(current_shapes()) == []


def test_snapshot_is_up_to_date() -> None:
    changes = compatible_changes(read_snapshot(), current_shapes())
    assert not changes, f"compatible changes, run `{REGENERATE}`:\n" + "\n".join(changes)


def test_identical_shapes_are_compatible() -> None:
    assert incompatible_changes(SNAPSHOT, SNAPSHOT) == []
    assert compatible_changes(SNAPSHOT, SNAPSHOT) == []


def test_topic_gone_is_incompatible() -> None:
    assert incompatible_changes(SNAPSHOT, {}) == [
        f"{TOPIC}: topic gone (stored events name it; topics never change)"
    ]


def test_removed_field_is_incompatible() -> None:
    current = _changed(fields={"site_id": False})
    assert incompatible_changes(SNAPSHOT, current) == [
        f"{TOPIC}: field 'note' removed or renamed (stored events carry it: "
        "bump class_version and add upcast_v1_v2)"
    ]


def test_renamed_field_is_incompatible() -> None:
    current = _changed(fields={"location_id": False, "note": True})
    assert [p.split(": ", 1)[1][:30] for p in incompatible_changes(SNAPSHOT, current)] == [
        "field 'site_id' removed or ren",
        "new field 'location_id' has no",
    ]


def test_new_field_without_default_is_incompatible() -> None:
    current = _changed(fields={"site_id": False, "note": True, "slot_id": False})
    assert incompatible_changes(SNAPSHOT, current) == [
        f"{TOPIC}: new field 'slot_id' has no default and class_version was not bumped "
        "(stored events lack it: bump to 2 with an upcaster)"
    ]


def test_field_losing_its_default_is_incompatible() -> None:
    current = _changed(fields={"site_id": False, "note": False})
    assert incompatible_changes(SNAPSHOT, current) == [
        f"{TOPIC}: field 'note' lost its default (stored events may lack it)"
    ]


def test_class_version_going_down_is_incompatible() -> None:
    bumped = _changed(class_version=2, upcasters=["upcast_v1_v2"])
    assert incompatible_changes(bumped, SNAPSHOT) == [
        f"{TOPIC}: class_version went down from 2 to 1"
    ]


def test_new_field_with_default_asks_for_regeneration() -> None:
    current = _changed(fields={"site_id": False, "note": True, "slot_id": True})
    assert incompatible_changes(SNAPSHOT, current) == []
    assert compatible_changes(SNAPSHOT, current) == [f"{TOPIC}: new field 'slot_id' with a default"]


def test_version_bump_with_upcaster_is_compatible() -> None:
    current = _changed(
        class_version=2, fields={"site_id": False, "slot_id": False}, upcasters=["upcast_v1_v2"]
    )
    assert incompatible_changes(SNAPSHOT, current) == []
    assert missing_upcasters(current) == []
    assert compatible_changes(SNAPSHOT, current) == [f"{TOPIC}: class_version 1 -> 2"]


def test_version_bump_without_upcaster_is_reported() -> None:
    current = _changed(class_version=2)
    assert missing_upcasters(current) == [f"{TOPIC}: class_version 2 without upcast_v1_v2"]


def test_new_event_asks_for_regeneration() -> None:
    assert compatible_changes({}, SNAPSHOT) == [f"{TOPIC}: new event"]


def test_method_default_counts_as_default() -> None:
    """`@event("Booked")` keeps defaults on the method: they fill a stored event's gap."""
    booked = current_shapes()["services.mso_ops.domain.appointment:Appointment.Booked"]
    assert booked["fields"]["slot_id"] is True
    assert booked["fields"]["site_id"] is False
