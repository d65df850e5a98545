"""The PC's answer to an MSO request: run a service line at a site, go live, or change.

Lifecycle: pending -> approved | denied; approved -> suspended | revoked;
suspended -> approved (reinstated) | revoked. Denied and revoked are final. Every decision gets its own id
and names its basis: the governance meeting decision or the Medical Director's act.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.authorization_basis import check_basis
from services.pc_governance.domain.errors import InvalidAuthorizationTransition

PENDING = "pending"
APPROVED = "approved"
DENIED = "denied"
SUSPENDED = "suspended"
REVOKED = "revoked"

# decision -> the states it may be taken from, and the state it leads to
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({PENDING}), APPROVED),
    "deny": (frozenset({PENDING}), DENIED),
    "suspend": (frozenset({APPROVED}), SUSPENDED),
    "revoke": (frozenset({APPROVED, SUSPENDED}), REVOKED),
    "reinstate": (frozenset({SUSPENDED}), APPROVED),
}

_NAMESPACE = uuid.UUID("5e0b2a53-8f6d-4b8e-a0f1-7d3c2b1a9e64")


@dataclass(frozen=True)
class Decision:
    decision_id: UUID
    decision: str
    basis: dict[str, str]
    decided_at: datetime
    decided_by: str


def _decided_with_reason(decision: str) -> Callable[..., None]:
    """How a denial, suspension, revocation or reinstatement changes the authorization:
    the four differ only in the decision (a key of TRANSITIONS) they record."""

    def decided(
        self: Authorization,
        decision_id: UUID,
        decided_at: datetime,
        reason: str,
        basis: dict[str, str],
        meta: Meta,
    ) -> None:
        self.reason = reason
        self._decided(decision, decision_id, decided_at, basis, meta)

    return decided


class Authorization(Aggregate):
    @staticmethod
    def create_id(request_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(request_id))

    class Requested(Aggregate.Created):
        request_id: UUID
        kind: str
        site_id: UUID
        site_name: str
        service_line: str | None
        readiness: dict[str, Any]
        requested_at: datetime
        meta: Meta
        change: dict[str, Any] | None = None

    @event(Requested)
    def __init__(
        self,
        request_id: UUID,
        kind: str,
        site_id: UUID,
        site_name: str,
        service_line: str | None,
        readiness: dict[str, Any],
        requested_at: datetime,
        meta: Meta,
        change: dict[str, Any] | None = None,  # what a material_change request would change
    ) -> None:
        self.request_id = request_id
        self.kind = kind
        self.site_id = site_id
        self.site_name = site_name
        self.service_line = service_line
        self.readiness = readiness
        self.change = change
        self.requested_at = requested_at
        self.requested_by = meta.actor_id
        self.status = PENDING
        self.conditions: list[str] = []
        self.protocol_refs: list[str] = []
        self.effective_date: date | None = None
        self.reason: str | None = None
        self.decisions: list[Decision] = []

    def _check_may(self, decision: str, basis: dict[str, str]) -> None:
        allowed_from, _ = TRANSITIONS[decision]
        if self.status not in allowed_from:
            raise InvalidAuthorizationTransition(
                f"cannot {decision} an authorization that is {self.status}",
                current_status=self.status,
            )
        check_basis(basis)

    def approve(
        self,
        *,
        conditions: list[str],
        protocol_refs: list[str],
        effective_date: date,
        basis: dict[str, str],
        meta: Meta,
    ) -> UUID:
        self._check_may("approve", basis)
        return self._record(
            self.Approved,
            basis,
            meta,
            conditions=list(conditions),
            protocol_refs=list(protocol_refs),
            effective_date=effective_date,
        )

    def _record(
        self, decided: type[Decided], basis: dict[str, str], meta: Meta, **particulars: Any
    ) -> UUID:
        """A decision of the PC on this request, with its own id, recorded as `decided`."""
        decision_id = uuid.uuid4()
        self.trigger_event(
            decided,
            decision_id=decision_id,
            decided_at=datetime.now(UTC),
            subject=self.subject,
            basis=dict(basis),
            meta=meta,
            **particulars,
        )
        return decision_id

    class Decided(Aggregate.Event):
        """What every decision records: its id, when, what it is about, on what basis."""

        decision_id: UUID
        decided_at: datetime
        subject: dict[str, Any]
        basis: dict[str, str]
        meta: Meta

    class Approved(Decided):
        conditions: list[str]
        protocol_refs: list[str]
        effective_date: date

    @event(Approved)
    def _approved(
        self,
        decision_id: UUID,
        decided_at: datetime,
        conditions: list[str],
        protocol_refs: list[str],
        effective_date: date,
        basis: dict[str, str],
        meta: Meta,
    ) -> None:
        self.conditions = conditions
        self.protocol_refs = protocol_refs
        self.effective_date = effective_date
        self._decided("approve", decision_id, decided_at, basis, meta)

    def deny(self, *, reason: str, basis: dict[str, str], meta: Meta) -> UUID:
        return self._decide_with_reason("deny", reason, basis, meta)

    def suspend(self, *, reason: str, basis: dict[str, str], meta: Meta) -> UUID:
        return self._decide_with_reason("suspend", reason, basis, meta)

    def revoke(self, *, reason: str, basis: dict[str, str], meta: Meta) -> UUID:
        return self._decide_with_reason("revoke", reason, basis, meta)

    def reinstate(self, *, reason: str, basis: dict[str, str], meta: Meta) -> UUID:
        """Lift a suspension: the approval, its conditions and protocols hold again."""
        return self._decide_with_reason("reinstate", reason, basis, meta)

    def _decide_with_reason(
        self, decision: str, reason: str, basis: dict[str, str], meta: Meta
    ) -> UUID:
        self._check_may(decision, basis)
        recorded = {
            "deny": self.Denied,
            "suspend": self.Suspended,
            "revoke": self.Revoked,
            "reinstate": self.Reinstated,
        }
        return self._record(recorded[decision], basis, meta, reason=reason)

    class DecidedWithReason(Decided):
        """What a denial, suspension, revocation or reinstatement records."""

        reason: str

    class Denied(DecidedWithReason):
        pass

    class Suspended(DecidedWithReason):
        pass

    class Revoked(DecidedWithReason):
        pass

    class Reinstated(DecidedWithReason):
        pass

    _denied = event(Denied)(_decided_with_reason("deny"))
    _suspended = event(Suspended)(_decided_with_reason("suspend"))
    _revoked = event(Revoked)(_decided_with_reason("revoke"))
    _reinstated = event(Reinstated)(_decided_with_reason("reinstate"))

    def _decided(
        self,
        decision: str,
        decision_id: UUID,
        decided_at: datetime,
        basis: dict[str, str],
        meta: Meta,
    ) -> None:
        self.status = TRANSITIONS[decision][1]
        self.decisions.append(
            Decision(
                decision_id=decision_id,
                decision=decision,
                basis=basis,
                decided_at=decided_at,
                decided_by=meta.actor_id,
            )
        )

    @property
    def subject(self) -> dict[str, Any]:
        """What a decision is about, carried on its event so the event alone tells it."""
        return {
            "request_id": self.request_id,
            "site_id": self.site_id,
            "service_line": self.service_line,
        }

    @property
    def latest_decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None
