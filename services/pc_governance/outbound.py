"""The contract messages PC Governance publishes, mapped from its domain events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from contracts.v1.authorization import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationReinstatedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
    DecisionBasis,
)
from mhg.feed import Translator
from services.pc_governance.domain.authorization import Authorization

PRODUCER = "pc-governance"


def _decision_fields(event: Any) -> dict[str, Any]:
    return {
        "authorization_id": event.originator_id,
        "request_id": event.subject["request_id"],
        "decision_id": event.decision_id,
        "site_id": event.subject["site_id"],
        "service_line": event.subject["service_line"],
        "basis": DecisionBasis.model_validate(event.basis),
        "decided_at": event.decided_at,
    }


def approved(event: Any) -> AuthorizationApprovedV1:
    return AuthorizationApprovedV1(
        conditions=event.conditions,
        protocol_refs=event.protocol_refs,
        effective_date=event.effective_date,
        **_decision_fields(event),
    )


def _withdrawal(message: type[Any]) -> Callable[[Any], Any]:
    def translate(event: Any) -> Any:
        return message(reason=event.reason, **_decision_fields(event))

    return translate


OUTBOUND: Mapping[type[Any], Translator] = {
    Authorization.Approved: approved,  # type: ignore[attr-defined]
    Authorization.Denied: _withdrawal(AuthorizationDeniedV1),  # type: ignore[attr-defined]
    Authorization.Suspended: _withdrawal(AuthorizationSuspendedV1),  # type: ignore[attr-defined]
    Authorization.Revoked: _withdrawal(AuthorizationRevokedV1),  # type: ignore[attr-defined]
    Authorization.Reinstated: _withdrawal(AuthorizationReinstatedV1),  # type: ignore[attr-defined]
}
