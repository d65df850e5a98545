"""How MSO Operations takes the PC's corrective-action messages: assigned, verified, reopened.

Each is applied once, with the message's feed position in the same transaction. An
assignment seen twice, or a verdict on an action the MSO never received or has closed,
is a domain error: the inbound policy logs it and skips the message.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from eventsourcing.persistence import Tracking

from contracts.v1.corrective_action import (
    CorrectiveActionAssignedV1,
    CorrectiveActionReopenedV1,
    CorrectiveActionVerifiedV1,
)
from mhg.event_fields import copied
from mhg.meta import Meta

if TYPE_CHECKING:
    from services.mso_ops.application import MsoOpsApplication


Verdict = CorrectiveActionVerifiedV1 | CorrectiveActionReopenedV1


class CorrectiveActionReactions:
    def __init__(self, app: MsoOpsApplication) -> None:
        self.app = app

    def assigned(self, message: CorrectiveActionAssignedV1, meta: Meta, tracking: Tracking) -> None:
        self.app.corrective_actions.receive_corrective_action(
            **copied(message, "action_id", "title", "description", "assignee", "due_on"),
            source=message.source.model_dump() if message.source else None,
            assigned_at=message.assigned_at,
            meta=meta,
            tracking=tracking,
        )

    def verified(self, message: CorrectiveActionVerifiedV1, meta: Meta, tracking: Tracking) -> None:
        self._judged(message, True, message.verified_at, meta, tracking)

    def reopened(self, message: CorrectiveActionReopenedV1, meta: Meta, tracking: Tracking) -> None:
        self._judged(message, False, message.reopened_at, meta, tracking)

    def _judged(
        self, message: Verdict, effective: bool, at: datetime, meta: Meta, tracking: Tracking
    ) -> None:
        """The PC's verdict on the action's work: verified (effective) or reopened."""
        self.app.corrective_actions.record_corrective_action_verdict(
            message.action_id,
            effective=effective,
            note=message.note,
            at=at,
            meta=meta,
            tracking=tracking,
        )
