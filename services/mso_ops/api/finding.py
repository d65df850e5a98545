"""How a create route finds what a retried request made: the resource under its id, if any."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

A = TypeVar("A")


def if_exists(
    exists: Callable[[UUID], bool], load: Callable[[UUID], A]
) -> Callable[[UUID], A | None]:
    """`find` for `Create`: load the resource only when one exists under the id."""
    return lambda resource_id: load(resource_id) if exists(resource_id) else None
