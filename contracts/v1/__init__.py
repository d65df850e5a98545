"""Major version 1 of the message payloads."""

from contracts.v1.authorization import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationKind,
    AuthorizationReinstatedV1,
    AuthorizationRequestedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
    ChecklistItem,
    DecisionBasis,
    ReadinessEvidence,
)

__all__ = [
    "AuthorizationApprovedV1",
    "AuthorizationDeniedV1",
    "AuthorizationKind",
    "AuthorizationReinstatedV1",
    "AuthorizationRequestedV1",
    "AuthorizationRevokedV1",
    "AuthorizationSuspendedV1",
    "ChecklistItem",
    "DecisionBasis",
    "ReadinessEvidence",
]
