"""What every capability of the PC application is: its commands and reads on the one store.

The application composes one capability per area (authorizations, protocols, clinicians,
quality, meetings, the MSA, ...) on the store every decision is kept in; a capability
loads an aggregate, lets it decide and saves through that store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.pc_governance.domain.authorization_basis import DecisionLog, decided_item
from services.pc_governance.domain.decision_subject import Subject

A = TypeVar("A")
D = TypeVar("D", bound=Aggregate)


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

    def decide(
        self,
        aggregate: D,
        subjects: list[Subject],
        act: Callable[..., object],
        *args: Any,
        basis: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
        decision_log: DecisionLog,
        **fields: Any,
    ) -> D:
        """A decision of the PC on `aggregate`: the caller's version of it checked, then
        `act` decided on a basis naming a carried motion about `subjects` (or a Medical
        Director's act; docs/adr/0019), and saved."""
        return self.store.change(
            aggregate,
            expected_version,
            lambda decided: act(
                decided,
                *args,
                basis=decided_item(basis, decision_log, subjects),
                meta=meta,
                **fields,
            ),
        )
