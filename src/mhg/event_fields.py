"""What declared handlers and translators read of each event: a field by its name, or a
dotted path (`meta.actor_id`), converted when a function is given (`from_event`).

The readers are built once, when a projection or a feed is declared, and only run per
event: `operator.attrgetter` is as quick as the attribute access it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

__all__ = [
    "ACTOR",
    "MOMENT",
    "ORIGINATOR",
    "FromEvent",
    "Reader",
    "copied",
    "from_event",
    "part_of",
    "parts_of",
    "read_off",
    "translated",
]

Reader = Callable[[Any], Any]
M = TypeVar("M")


def copied(event: Any, *fields: str) -> dict[str, Any]:
    """The event's `fields`, each under its own name (a column's, a message field's)."""
    return {name: getattr(event, name) for name in fields}


@dataclass(frozen=True)
class FromEvent:
    """A value that a declared handler reads from each event: its field `name` (a dotted
    path, such as `meta.actor_id`), passed through `convert` when one is given."""

    name: str
    convert: Callable[[Any], Any] | None = None

    def reader(self) -> Callable[[Any], Any]:
        read = attrgetter(self.name)
        convert = self.convert
        if convert is None:
            return read
        return lambda event: convert(read(event))


def from_event(name: str, convert: Callable[[Any], Any] | None = None) -> FromEvent:
    return FromEvent(name, convert)


def part_of(name: str, key: str) -> FromEvent:
    """The entry `key` of the event's mapping field `name` (None when either is missing)."""

    def entry(mapping: Mapping[str, Any] | None) -> Any:
        return (mapping or {}).get(key)

    return FromEvent(name, entry)


def parts_of(name: str, *keys: str) -> dict[str, FromEvent]:
    """The entries `keys` of the event's mapping field `name`, each for the column
    `{name}_{key}` (`part_of`)."""
    return {f"{name}_{key}": part_of(name, key) for key in keys}


ACTOR = from_event("meta.actor_id")
"""Who caused the event."""

MOMENT = from_event("timestamp")
"""When the event was recorded."""


ORIGINATOR = from_event("originator_id")
"""The aggregate the event belongs to."""


def readers(values: Mapping[str, Any]) -> tuple[tuple[str, Reader], ...]:
    """The `from_event` values among `values`, each with its reader."""
    return tuple((c, v.reader()) for c, v in values.items() if isinstance(v, FromEvent))


def read_off(event: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` as one event gives them: each `from_event` read off it, each constant as it is
    (declared values that a handler also needs beside an `insert_row` or `update_row`)."""
    return {c: v.reader()(event) if isinstance(v, FromEvent) else v for c, v in values.items()}


def translated(message: Callable[..., M], *same: str, **values: Any) -> Callable[[Any], M]:
    """A translator declared: the `message` made of the event's fields `same` (each under
    its own name) and `values`, each a constant or `from_event(name)`: the event's field."""
    copies: tuple[tuple[str, Reader], ...] = tuple((name, attrgetter(name)) for name in same)
    read = (*copies, *readers(values))
    constants = {name: v for name, v in values.items() if not isinstance(v, FromEvent)}

    def translate(event: Any) -> M:
        return message(**{name: reader(event) for name, reader in read}, **constants)

    return translate
