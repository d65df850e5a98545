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
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.authorization import Authorization
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


WITHDRAWALS: dict[str, Callable[..., object]] = {
    "deny": Authorization.deny,
    "suspend": Authorization.suspend,
    "revoke": Authorization.revoke,
    "reinstate": Authorization.reinstate,
}
"""The decisions that carry a reason, by name."""


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
        self, authorization_id: UUID, act: Callable[..., object], *, admit: Admit, **decision: Any
    ) -> Authorization:
        """A decision on an authorization: loaded once, the caller admitted, then the
        version checked (a 404, then a 403, then a 412), then decided (`act`, on a basis
        naming a carried motion about it) and saved."""
        authorization = self.authorization(authorization_id)
        admit(authorization)
        return self.decide(authorization, subjects(authorization), act, **decision)

    def approve(self, authorization_id: UUID, **decision: Any) -> Authorization:
        """Approve, with conditions, protocol references and an effective date."""
        return self._decide(authorization_id, Authorization.approve, **decision)

    def withdraw(
        self, authorization_id: UUID, *, decision: str, **withdrawal: Any
    ) -> Authorization:
        """Deny, suspend, revoke or reinstate: the decisions that carry a reason."""
        return self._decide(authorization_id, WITHDRAWALS[decision], **withdrawal)
