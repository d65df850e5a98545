"""The readiness standards the PC publishes: each approved version, and a retirement."""

from __future__ import annotations

from typing import Any

from contracts.v1.authorization import DecisionBasis
from contracts.v1.readiness_standard import (
    ReadinessStandardApprovedV1,
    ReadinessStandardRetiredV1,
    StandardItem,
)
from mhg.event_fields import copied


def _standard_version(event: Any) -> dict[str, Any]:
    return {
        "standard_id": event.originator_id,
        "version": event.number,
        **copied(event, "kind", "service_line", "decision_id"),
    }


def standard_approved(event: Any) -> ReadinessStandardApprovedV1:
    """The new version replaces the earlier one at once: no separate message for that."""
    return ReadinessStandardApprovedV1(
        items=[StandardItem.model_validate(item) for item in event.items],
        basis=DecisionBasis.model_validate(event.basis),
        approved_at=event.approved_at,
        **_standard_version(event),
    )


def standard_retired(event: Any) -> ReadinessStandardRetiredV1:
    return ReadinessStandardRetiredV1(
        **copied(event, "reason", "retired_at"), **_standard_version(event)
    )
