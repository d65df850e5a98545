"""Authorizations: the PC's answers to MSO requests, and the requests as they arrive.

Every decision on every kind of authorization that rests on a governance meeting names
a carried motion of the decision log whose subject is this authorization (or the site
of a go-live, the service line of a service-line request); one check, before the
aggregate decides (docs/adr/0019).

Who may decide depends on what is decided (a go-live or a material change is its own
decision right), so a decision takes `admit`: the caller's right, checked on the
authorization as loaded for the change, before its version (one load per request).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.authorization_basis import DecisionLog, decided_item
from services.pc_governance.domain.decision_subject import Subject
from services.pc_governance.domain.errors import AuthorizationNotFound

Admit = Callable[[Authorization], None]
"""Refuses a caller whose role may not decide this authorization (raises)."""


def subjects(authorization: Authorization) -> list[Subject]:
    """What a decision on this authorization decides: itself, and its site or line."""
    own = Subject("authorization", str(authorization.id))
    if authorization.kind == "site_go_live":
        return [own, Subject("site", str(authorization.site_id))]
    if authorization.kind == "service_line" and authorization.service_line:
        line = f"{authorization.site_id}/{authorization.service_line}"
        return [own, Subject("service_line", line)]
    return [own]


class AuthorizationCommands(Capability):
    def receive_authorization_request(
        self, *, meta: Meta, tracking: Tracking, **request: Any
    ) -> Authorization:
        """The MSO's request as it arrived: `request` is the message's fields."""
        authorization = Authorization(meta=meta, **request)
        self.store.record(authorization, tracking=tracking)
        return authorization

    def authorization(self, authorization_id: UUID) -> Authorization:
        authorization: Authorization = self.store.load(
            authorization_id, AuthorizationNotFound, f"no authorization {authorization_id}"
        )
        return authorization

    def _decide(
        self,
        authorization_id: UUID,
        admit: Admit,
        expected_version: int | None,
        decide: Callable[[Authorization], object],
    ) -> Authorization:
        """A decision on an authorization: loaded once, the caller admitted, then the
        version checked (a 404, then a 403, then a 412), then decided and saved."""
        authorization = self.authorization(authorization_id)
        admit(authorization)
        return self.store.change(authorization, expected_version, decide)

    def approve(
        self,
        authorization_id: UUID,
        *,
        conditions: list[str],
        protocol_refs: list[str],
        effective_date: date,
        basis: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
        decision_log: DecisionLog,
        admit: Admit,
    ) -> Authorization:
        return self._decide(
            authorization_id,
            admit,
            expected_version,
            lambda authorization: authorization.approve(
                conditions=conditions,
                protocol_refs=protocol_refs,
                effective_date=effective_date,
                basis=decided_item(basis, decision_log, subjects(authorization)),
                meta=meta,
            ),
        )

    def withdraw(
        self,
        authorization_id: UUID,
        *,
        decision: str,
        reason: str,
        basis: dict[str, Any],
        expected_version: int | None,
        meta: Meta,
        decision_log: DecisionLog,
        admit: Admit,
    ) -> Authorization:
        """Deny, suspend, revoke or reinstate: the decisions that carry a reason."""

        def withdrawn(authorization: Authorization) -> None:
            recorded = decided_item(basis, decision_log, subjects(authorization))
            act = {
                "deny": authorization.deny,
                "suspend": authorization.suspend,
                "revoke": authorization.revoke,
                "reinstate": authorization.reinstate,
            }
            act[decision](reason=reason, basis=recorded, meta=meta)

        return self._decide(authorization_id, admit, expected_version, withdrawn)
