"""The contract messages MSO Operations publishes, mapped from its domain events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.v1.authorization import AuthorizationRequestedV1, ReadinessEvidence
from mhg.feed import Translator
from services.mso_ops.domain.service_line import ServiceLine

PRODUCER = "mso-ops"


def authorization_requested(event: Any) -> AuthorizationRequestedV1:
    return AuthorizationRequestedV1(
        request_id=event.request_id,
        kind="service_line",
        site_id=event.site_id,
        site_name=event.site_name,
        service_line=event.code,
        readiness=ReadinessEvidence.model_validate(event.readiness),
        requested_at=event.timestamp,
    )


OUTBOUND: Mapping[type[Any], Translator] = {
    ServiceLine.AuthorizationRequested: authorization_requested,  # type: ignore[attr-defined]
}
