"""An answer read field by field from the object it shows (mhg.views)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from uuid import UUID

import pytest
from pydantic import BaseModel, ValidationError

from mhg.views import View, answered, showing

DOOR = UUID("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f")

# any object with attributes: an aggregate, a dataclass, a row
DOOR_READ = SimpleNamespace(id=DOOR, state="open", hinges=3, version=7)


class DoorOut(View):
    id: UUID
    state: str
    version: int


class DoorRenamed(BaseModel):
    id: UUID
    status: str


def test_a_view_reads_every_field_from_the_attribute_of_its_name() -> None:
    out = DoorOut.of(DOOR_READ)
    assert out == DoorOut(id=DOOR, state="open", version=7)


def test_showing_takes_the_fields_it_is_handed_and_reads_the_others() -> None:
    out = showing(DoorRenamed, DOOR_READ, status="ajar")
    assert out == DoorRenamed(id=DOOR, status="ajar")


def test_what_is_read_is_validated_as_the_model_says() -> None:
    @dataclass(frozen=True)
    class Broken:
        id: str
        state: str
        version: int

    with pytest.raises(ValidationError):
        DoorOut.of(Broken("not an id", "open", 1))


def test_a_views_of_answers_its_own_class_and_a_function_its_return_annotation() -> None:
    def door_out(door: SimpleNamespace) -> DoorRenamed:
        return showing(DoorRenamed, door, status=door.state)

    assert answered(DoorOut.of) is DoorOut
    assert answered(door_out) is DoorRenamed
