"""A service line at a site, and the PC authorization it runs under.

The MSO proposes the line and requests authorization; only the PC decides. The
decision is recorded here when it arrives through the PC's feed, and a booking is
allowed only while an approval is in force and effective on the appointment's date.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.errors import (
    AuthorizationAlreadyRequested,
    DecisionDoesNotMatch,
    ServiceLineNotAuthorized,
)
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.readiness_standard import (
    ChecklistStandard,
    ReadinessStandardNotMet,
    service_line_v0,
)

_NAMESPACE = uuid.UUID("a3d4c1f2-64b0-4c0e-8a2e-3c9f0e7d5b41")

# Status after the MSO's own acts, and after each PC decision that reaches it.
PROPOSED = "proposed"
REQUESTED = "authorization_requested"
AUTHORIZED = "authorized"
DENIED = "denied"
SUSPENDED = "suspended"
REVOKED = "revoked"

_MAY_REQUEST = {PROPOSED, DENIED, REVOKED}


@dataclass(frozen=True)
class AuthorizationInForce:
    """What a booking records: the PC authorization and decision that allowed it."""

    authorization_id: UUID
    decision_id: UUID


class ServiceLine(Aggregate):
    @staticmethod
    def create_id(site_id: UUID, code: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{site_id}|{code}")

    class Proposed(Aggregate.Created):
        site_id: UUID
        site_name: str
        code: str
        meta: Meta

    @event(Proposed)
    def __init__(self, site_id: UUID, site_name: str, code: str, meta: Meta) -> None:
        self.site_id = site_id
        self.site_name = site_name
        self.code = code
        self.status = PROPOSED
        self.request_id: UUID | None = None
        self.authorization_id: UUID | None = None
        self.decision_id: UUID | None = None
        self.effective_date: date | None = None
        self.conditions: list[str] = []

    def request_authorization(
        self, readiness: dict[str, Any], meta: Meta, standard: ChecklistStandard | None = None
    ) -> UUID:
        """Ask the PC, with readiness evidence answering every item of `standard` (the one
        in force, which the application names; version 0 until the PC approves one); the
        evidence records which standard it was judged against."""
        standard = standard or service_line_v0(self.code)
        if self.status not in _MAY_REQUEST:
            raise AuthorizationAlreadyRequested(
                f"{self.code} at {self.site_name} is {self.status}; "
                "a new request is possible only after a denial or a revocation"
            )
        missing = standard.unanswered(readiness.get("checklist", []))
        if missing:
            raise ReadinessStandardNotMet(
                f"readiness standard v{standard.version} of {self.code} is not met: "
                f"{', '.join(missing)}",
                field="readiness.checklist",
                missing=missing,
                standard_version=standard.version,
            )
        readiness = {**readiness, "standard": standard.judged()}
        request_id = uuid.uuid4()
        self._authorization_requested(
            request_id=request_id,
            site_id=self.site_id,
            site_name=self.site_name,
            code=self.code,
            readiness=readiness,
            meta=meta,
        )
        return request_id

    class AuthorizationRequested(Aggregate.Event):
        request_id: UUID
        site_id: UUID
        site_name: str
        code: str
        readiness: dict[str, Any]
        meta: Meta

    @event(AuthorizationRequested)
    def _authorization_requested(
        self,
        request_id: UUID,
        site_id: UUID,
        site_name: str,
        code: str,
        readiness: dict[str, Any],
        meta: Meta,
    ) -> None:
        self.status = REQUESTED
        self.request_id = request_id
        self.authorization_id = None
        self.decision_id = None
        self.effective_date = None
        self.conditions = []

    def _check_answers_current_request(self, request_id: UUID) -> None:
        if request_id != self.request_id:
            raise DecisionDoesNotMatch(
                f"decision for request {request_id}, the current request is {self.request_id}"
            )

    def record_approval(
        self, request_id: UUID, approval: PcApproval, *, protocol_refs: list[str], meta: Meta
    ) -> None:
        self._check_answers_current_request(request_id)
        self.trigger_event(
            self.AuthorizationApproved, protocol_refs=protocol_refs, meta=meta, **asdict(approval)
        )

    class AuthorizationApproved(PcApproval, Aggregate.Event):
        protocol_refs: list[str]
        meta: Meta

    @event(AuthorizationApproved)
    def _authorization_approved(self) -> None:
        self.status = AUTHORIZED

    def record_withdrawal(self, request_id: UUID, withdrawal: PcWithdrawal, meta: Meta) -> None:
        """A denial, suspension or revocation by the PC: no new bookings from now on."""
        self._check_answers_current_request(request_id)
        self.trigger_event(self.AuthorizationWithdrawn, meta=meta, **asdict(withdrawal))

    class AuthorizationWithdrawn(PcWithdrawal, Aggregate.Event):
        meta: Meta

    @event(AuthorizationWithdrawn)
    def _authorization_withdrawn(self) -> None:
        pass  # the withdrawal's facts are all it sets (`PcWithdrawal.apply`)

    def record_reinstatement(
        self, request_id: UUID, reinstatement: PcReinstatement, meta: Meta
    ) -> None:
        """The PC lifted a suspension: bookable again under the same authorization."""
        self._check_answers_current_request(request_id)
        if self.status != SUSPENDED or reinstatement.authorization_id != self.authorization_id:
            raise DecisionDoesNotMatch(
                f"a reinstatement of {reinstatement.authorization_id} answers no suspension "
                f"of this line (it is {self.status})"
            )
        self._authorization_reinstated(
            decision_id=reinstatement.decision_id, reason=reinstatement.reason, meta=meta
        )

    class AuthorizationReinstated(Aggregate.Event):
        decision_id: UUID
        reason: str
        meta: Meta

    @event(AuthorizationReinstated)
    def _authorization_reinstated(self, decision_id: UUID, reason: str, meta: Meta) -> None:
        self.status = AUTHORIZED
        self.decision_id = decision_id

    def authorization_for(self, day: date) -> AuthorizationInForce:
        """The authorization a booking on `day` runs under, or ServiceLineNotAuthorized."""
        if self.status != AUTHORIZED or self.authorization_id is None or self.decision_id is None:
            raise ServiceLineNotAuthorized(
                f"{self.code} at {self.site_name} is {self.status.replace('_', ' ')}",
                service_line_status=self.status,
            )
        if self.effective_date is not None and day < self.effective_date:
            raise ServiceLineNotAuthorized(
                f"{self.code} at {self.site_name} is authorized from {self.effective_date}",
                service_line_status=self.status,
            )
        return AuthorizationInForce(self.authorization_id, self.decision_id)
