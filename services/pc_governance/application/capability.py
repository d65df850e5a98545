"""What every capability of the PC application is: its commands and reads on the one store.

The application composes one capability per area (authorizations, protocols, clinicians,
quality, meetings, the MSA, ...) on the store every decision is kept in; a capability
loads an aggregate, lets it decide and saves through that store.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from mhg.eventstore import ServiceApplication

A = TypeVar("A")


class Capability:
    def __init__(self, store: ServiceApplication) -> None:
        self.store = store

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under the id (a create's retry finds its resource)."""
        return aggregate_id in self.store.repository

    def recorded(self, kind: type[A], aggregate_id: UUID | None) -> A | None:
        """The `kind` recorded under the id, if one is (a reference may name anything)."""
        if aggregate_id is None or aggregate_id not in self.store.repository:
            return None
        found: object = self.store.repository.get(aggregate_id)
        return found if isinstance(found, kind) else None
