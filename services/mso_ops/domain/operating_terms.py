"""The operating terms the PC approved at a site, dated: one record per site.

Each material change of aspect `hours` or `staffing_model` that carries a structured
term (operating_term.py) and that the PC approves adds its term here, in force from the
approval's effective date; a suspension or revocation takes it out of force (the term
in force before it applies again), a reinstatement puts it back. The term of an aspect
on a day is the one in force with the latest effective date on or before it (of two on
the same date, the later approved). Saved in the same transaction as the change the
PC's decision answers; kept apart from the site so that it never moves the site's
version. A site with no record, or no term of an aspect in force on a day, has nothing
to judge that day (ADR 0026).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.operating_term import TermInForce
from services.mso_ops.domain.site_change import SiteChange

_NAMESPACE = uuid.UUID("c3b1f0e2-6a4d-4f7b-9e21-5d8a0c7b3f16")


@dataclass
class _Dated:
    term: TermInForce
    in_force: bool


class SiteOperatingTerms(Aggregate):
    class Started(Aggregate.Created):
        site_id: UUID
        meta: Meta

    class TermApproved(Aggregate.Event):
        aspect: str
        change_id: UUID
        effective_date: date
        term: dict[str, Any]
        decision_id: UUID
        meta: Meta

    class TermWithdrawn(Aggregate.Event):
        change_id: UUID
        outcome: str
        decision_id: UUID
        meta: Meta

    class TermReinstated(Aggregate.Event):
        change_id: UUID
        decision_id: UUID
        meta: Meta

    @staticmethod
    def create_id(site_id: UUID) -> UUID:
        """One record per site (the library names a new record by it)."""
        return uuid.uuid5(_NAMESPACE, str(site_id))

    @event(Started)
    def __init__(self, site_id: UUID, meta: Meta) -> None:
        self.site_id = site_id
        self._terms: dict[str, _Dated] = {}  # change id -> its term, in approval order

    def approve(self, change: SiteChange, decision_id: UUID, meta: Meta) -> None:
        """The change's structured term, in force from its effective date."""
        assert change.operating_term is not None  # the application asks only then
        assert change.effective_date is not None  # set by the approval
        term = (change.aspect, change.id, change.effective_date, change.operating_term)
        self._approved(*term, decision_id, meta)

    @event(TermApproved)
    def _approved(
        self,
        aspect: str,
        change_id: UUID,
        effective_date: date,
        term: dict[str, Any],
        decision_id: UUID,
        meta: Meta,
    ) -> None:
        self._terms.pop(str(change_id), None)
        dated = TermInForce(aspect, str(change_id), effective_date, dict(term))
        self._terms[str(change_id)] = _Dated(dated, in_force=True)

    def withdraw(self, change_id: UUID, outcome: str, decision_id: UUID, meta: Meta) -> None:
        """Out of force: the term in force before it applies again."""
        if self.has(change_id):
            self._withdrawn(change_id, outcome, decision_id, meta)

    @event(TermWithdrawn)
    def _withdrawn(self, change_id: UUID, outcome: str, decision_id: UUID, meta: Meta) -> None:
        self._terms[str(change_id)].in_force = False

    def reinstate(self, change_id: UUID, decision_id: UUID, meta: Meta) -> None:
        dated = self._terms.get(str(change_id))
        if dated is not None and not dated.in_force:
            self._reinstated(change_id, decision_id, meta)

    @event(TermReinstated)
    def _reinstated(self, change_id: UUID, decision_id: UUID, meta: Meta) -> None:
        self._terms[str(change_id)].in_force = True

    def has(self, change_id: UUID) -> bool:
        dated = self._terms.get(str(change_id))
        return dated is not None and dated.in_force

    def in_force(self, aspect: str, day: date) -> TermInForce | None:
        """The term of the aspect on a day, or None: nothing approved in force yet."""
        found = None
        for dated in self._terms.values():
            term = dated.term
            applies = dated.in_force and term.aspect == aspect and term.effective_date <= day
            if applies and (found is None or term.effective_date >= found.effective_date):
                found = term
        return found

    def history(self) -> list[tuple[TermInForce, bool]]:
        """Every approved term, in approval order, and whether it is in force."""
        return [(dated.term, dated.in_force) for dated in self._terms.values()]


# the events only a PC decision creates
PC_DECISION_EVENTS: tuple[type[Any], ...] = (
    SiteOperatingTerms.Started,
    SiteOperatingTerms.TermApproved,
    SiteOperatingTerms.TermWithdrawn,
    SiteOperatingTerms.TermReinstated,
)
