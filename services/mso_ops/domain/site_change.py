"""A material operational change at a site, proposed by the MSO, decided by the PC.

Hours, the staffing model, the lab vendor or a clinical supply: the MSO proposes the
new value, and it takes effect at the site only when the PC's approval arrives through
its feed. Its id is the id of the request the PC answers. Lifecycle: requested ->
approved | denied; approved -> suspended | revoked (the site's previous term returns);
suspended -> approved (reinstated) | revoked.

A change of hours or of the staffing model may carry its term as structure beside the
text (`operating_term`, checked in operating_term.py); approved, that term is what the
MSO's schedules and staffing are judged against (operating_terms.py, ADR 0026).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch
from services.mso_ops.domain.operating_term import checked_term
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_errors import InvalidSiteChange

ASPECTS = ("hours", "staffing_model", "lab_vendor", "clinical_supplies")

REQUESTED = "requested"
APPROVED = "approved"
DENIED = "denied"
SUSPENDED = "suspended"
REVOKED = "revoked"

# outcome -> the statuses the PC may reach it from
_WITHDRAWN_FROM = {
    DENIED: frozenset({REQUESTED}),
    SUSPENDED: frozenset({APPROVED}),
    REVOKED: frozenset({APPROVED, SUSPENDED}),
}


class SiteChange(Aggregate):
    class Requested(Aggregate.Created):
        """v1 proposed text only; v2 may carry the structured operating term."""

        class_version = 2
        site_id: UUID
        site_name: str
        aspect: str
        proposed: str
        description: str
        previous: dict[str, Any] | None
        operating_term: dict[str, Any] | None
        meta: Meta

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["operating_term"] = None  # the text alone: nothing to judge against

    @event(Requested)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        site_name: str,
        aspect: str,
        proposed: str,
        description: str,
        previous: dict[str, Any] | None,
        operating_term: dict[str, Any] | None,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.site_name = site_name
        self.aspect = aspect
        self.proposed = proposed
        self.description = description
        self.previous = previous  # the site's term for the aspect when the change was asked
        self.operating_term = operating_term  # the structured term, if the change has one
        self.requested_by = meta.actor_id
        self.status = REQUESTED
        self.authorization_id: UUID | None = None
        self.decision_id: UUID | None = None
        self.effective_date: date | None = None
        self.conditions: list[str] = []
        self.reason: str | None = None

    @classmethod
    def request(
        cls,
        *,
        request_id: UUID,
        site: Site,
        aspect: str,
        proposed: str,
        description: str,
        meta: Meta,
        operating_term: dict[str, Any] | None = None,
    ) -> SiteChange:
        """Propose the change at a site whose go-live the PC has approved."""
        if aspect not in ASPECTS:
            raise InvalidSiteChange(f"aspect must be one of {', '.join(ASPECTS)}")
        structured = checked_term(aspect, operating_term)
        if not proposed.strip():
            raise InvalidSiteChange("the proposed value is empty")
        site.check_may_change()
        current = site.operations.get(aspect)
        if structured is None and current is not None and current["value"] == proposed:
            raise InvalidSiteChange(f"{aspect} at {site.name} is {proposed!r} already")
        return cls(
            id=request_id,
            site_id=site.id,
            site_name=site.name,
            aspect=aspect,
            proposed=proposed,
            description=description,
            previous=current,
            operating_term=structured,
            meta=meta,
        )

    @property
    def request_id(self) -> UUID:
        return self.id

    def term(self) -> dict[str, Any]:
        """The operating term this change puts in force at the site once approved."""
        return {
            "value": self.proposed,
            "change_id": str(self.id),
            "authorization_id": str(self.authorization_id),
            "decision_id": str(self.decision_id),
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
        }

    def _check_from(self, allowed: frozenset[str], authorization_id: UUID | None) -> None:
        if self.status not in allowed or (
            authorization_id is not None
            and self.authorization_id is not None
            and authorization_id != self.authorization_id
        ):
            raise DecisionDoesNotMatch(
                f"the change is {self.status} under authorization {self.authorization_id}"
            )

    def record_approval(self, approval: PcApproval, meta: Meta) -> None:
        self._check_from(frozenset({REQUESTED}), None)
        self.trigger_event(self.Approved, meta=meta, **asdict(approval))

    class Approved(PcApproval, Aggregate.Event):
        meta: Meta

    @event(Approved)
    def _approved(self) -> None:
        self.status = APPROVED

    def record_withdrawal(self, withdrawal: PcWithdrawal, meta: Meta) -> None:
        """A denial, suspension or revocation by the PC."""
        self._check_from(_WITHDRAWN_FROM[withdrawal.outcome], withdrawal.authorization_id)
        self.trigger_event(self.Withdrawn, meta=meta, **asdict(withdrawal))

    class Withdrawn(PcWithdrawal, Aggregate.Event):
        meta: Meta

    @event(Withdrawn)
    def _withdrawn(self, reason: str) -> None:
        self.reason = reason

    def record_reinstatement(self, reinstatement: PcReinstatement, meta: Meta) -> None:
        self._check_from(frozenset({SUSPENDED}), reinstatement.authorization_id)
        self._reinstated(
            decision_id=reinstatement.decision_id, reason=reinstatement.reason, meta=meta
        )

    class Reinstated(Aggregate.Event):
        decision_id: UUID
        reason: str
        meta: Meta

    @event(Reinstated)
    def _reinstated(self, decision_id: UUID, reason: str, meta: Meta) -> None:
        self.status = APPROVED
        self.decision_id = decision_id
        self.reason = reason
