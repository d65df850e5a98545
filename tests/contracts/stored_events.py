"""The shape of every stored event, and the check that keeps it loadable.

An event written years ago is read back through the class its topic names, with the
fields it was written with. This module reads every event class of the aggregates in
the services' domain packages and of the kernel (topic, class_version, upcasters, and per field whether
a missing value has a default) and compares it with the committed snapshot
tests/contracts/stored_events.json. The policy is ADR 0021 (docs/adr/0021-event-evolution.md).

Regenerate the snapshot after a compatible change:

    .venv/bin/python -m tests.contracts.stored_events --write
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from eventsourcing.domain import (
    Aggregate,
    DomainEvent,
    _created_event_classes,
    decorated_funcs,
)
from eventsourcing.utils import get_topic

SNAPSHOT = Path(__file__).with_name("stored_events.json")
DOMAIN_PACKAGES = ("services.mso_ops.domain", "services.pc_governance.domain")
KERNEL_MODULES = ("mhg.access", "mhg.received", "mhg.witness")  # the kernel's own aggregates
REGENERATE = "python -m tests.contracts.stored_events --write"
# Fields every event has from the library: they never change with our declarations.
_LIBRARY_FIELDS = frozenset(
    field.name
    for base in (Aggregate.Event, Aggregate.Created)
    for field in dataclasses.fields(base)
)

Shape = dict[str, Any]  # {"class_version": int, "fields": {name: has_default}, "upcasters": [...]}


def current_shapes() -> dict[str, Shape]:
    """Topic -> shape of every event the domain aggregates store, read from the classes."""
    shapes: dict[str, Shape] = {}
    for aggregate in _aggregates():
        for event_class, method in _stored_event_classes(aggregate):
            shapes[get_topic(event_class)] = _shape(event_class, method)
    return dict(sorted(shapes.items()))


def incompatible_changes(snapshot: dict[str, Shape], current: dict[str, Shape]) -> list[str]:
    """Every change after which an event already stored would not load as it was written."""
    problems: list[str] = []
    for topic, old in snapshot.items():
        new = current.get(topic)
        if new is None:
            problems.append(f"{topic}: topic gone (stored events name it; topics never change)")
            continue
        problems.extend(f"{topic}: {problem}" for problem in _incompatible(old, new))
    return problems


def compatible_changes(snapshot: dict[str, Shape], current: dict[str, Shape]) -> list[str]:
    """Changes that keep stored events loadable but make the snapshot out of date."""
    changes = [f"{topic}: new event" for topic in current if topic not in snapshot]
    for topic, old in snapshot.items():
        new = current.get(topic)
        if new is None or new == old or any(_incompatible(old, new)):
            continue
        if new["class_version"] != old["class_version"]:
            changes.append(
                f"{topic}: class_version {old['class_version']} -> {new['class_version']}"
            )
            continue
        for name in sorted(set(new["fields"]) - set(old["fields"])):
            changes.append(f"{topic}: new field {name!r} with a default")
        for name in sorted(set(old["fields"]) & set(new["fields"])):
            if new["fields"][name] and not old["fields"][name]:
                changes.append(f"{topic}: field {name!r} gained a default")
    return changes


def missing_upcasters(current: dict[str, Shape]) -> list[str]:
    """class_version N needs upcast_v1_v2 ... upcast_v{N-1}_vN on the event class."""
    return [
        f"{topic}: class_version {shape['class_version']} without {name}"
        for topic, shape in current.items()
        for name in _upcaster_names(shape["class_version"])
        if name not in shape["upcasters"]
    ]


def render(shapes: dict[str, Shape]) -> str:
    return json.dumps(shapes, indent=2, sort_keys=True) + "\n"


def read_snapshot() -> dict[str, Shape]:
    loaded: dict[str, Shape] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


def _incompatible(old: Shape, new: Shape) -> Iterator[str]:
    old_version, new_version = old["class_version"], new["class_version"]
    if new_version < old_version:
        yield f"class_version went down from {old_version} to {new_version}"
        return
    if new_version > old_version:
        return  # the upcasters carry stored events forward (missing_upcasters checks them)
    for name in sorted(set(old["fields"]) - set(new["fields"])):
        yield (
            f"field {name!r} removed or renamed (stored events carry it: bump "
            f"class_version and add upcast_v{old_version}_v{old_version + 1})"
        )
    for name, has_default in sorted(new["fields"].items()):
        if name not in old["fields"] and not has_default:
            yield (
                f"new field {name!r} has no default and class_version was not bumped "
                f"(stored events lack it: bump to {old_version + 1} with an upcaster)"
            )
        elif name in old["fields"] and old["fields"][name] and not has_default:
            yield f"field {name!r} lost its default (stored events may lack it)"


def _upcaster_names(class_version: int) -> list[str]:
    return [f"upcast_v{n}_v{n + 1}" for n in range(1, class_version)]


def _shape(event_class: type, method: Callable[..., Any] | None) -> Shape:
    method_defaults = _parameter_defaults(method)
    fields = {
        field.name: _has_default(field) or field.name in method_defaults
        for field in dataclasses.fields(event_class)
        if field.name not in _LIBRARY_FIELDS
    }
    version = getattr(event_class, "class_version", 1)
    return {
        "class_version": version,
        "fields": fields,
        "upcasters": [name for name in _upcaster_names(version) if hasattr(event_class, name)],
    }


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return field.default is not dataclasses.MISSING or (
        field.default_factory is not dataclasses.MISSING
    )


def _parameter_defaults(method: Callable[..., Any] | None) -> set[str]:
    """A default on the decorated method's parameter also fills a stored event's gap."""
    if method is None:
        return set()
    parameters = inspect.signature(method).parameters.values()
    return {p.name for p in parameters if p.default is not inspect.Parameter.empty}


def _stored_event_classes(
    aggregate: type[Aggregate],
) -> Iterator[tuple[type, Callable[..., Any] | None]]:
    """The created event(s) and every event of a decorated method, with that method."""
    created = _created_event_classes.get(aggregate, [])
    for value in vars(aggregate).values():
        if not (isinstance(value, type) and issubclass(value, DomainEvent)):
            continue
        if value in decorated_funcs:
            yield value, decorated_funcs[value]
        elif value in created:
            yield value, _init_method(aggregate)


def _init_method(aggregate: type[Aggregate]) -> Callable[..., Any] | None:
    init = vars(aggregate).get("__init__")
    decorated = getattr(init, "decorated_func", init)
    return decorated if callable(decorated) else None


def _aggregates() -> Iterator[type[Aggregate]]:
    for module in _domain_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate)
                and value.__module__ == module.__name__
            ):
                yield value


def _domain_modules() -> Iterator[ModuleType]:
    for package_name in DOMAIN_PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            yield importlib.import_module(info.name)
    for module_name in KERNEL_MODULES:
        yield importlib.import_module(module_name)


def main(arguments: list[str]) -> int:
    current = current_shapes()
    if arguments != ["--write"]:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        return 2
    if SNAPSHOT.exists() and (problems := incompatible_changes(read_snapshot(), current)):
        print("incompatible changes (see ADR 0021), snapshot not written:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    SNAPSHOT.write_text(render(current), encoding="utf-8")
    print(f"wrote {len(current)} events to {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
