"""Corrective actions the PC assigns to the MSO: received, worked on, judged by the PC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.aggregate_command import record_new, step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.domain.corrective_action import CorrectiveAction
from services.mso_ops.domain.corrective_action_errors import (
    CorrectiveActionAlreadyAssigned,
    CorrectiveActionNotFound,
)


@dataclass(eq=False)
class CorrectiveActionCommands:
    store: ServiceApplication

    def receive_corrective_action(
        self, *, action_id: UUID, meta: Meta, tracking: Tracking, **assignment: Any
    ) -> CorrectiveAction:
        """The action as the PC assigned it: `assignment` is the message's fields."""
        action = CorrectiveAction(id=action_id, meta=meta, **assignment)
        assigned = CorrectiveActionAlreadyAssigned(f"action {action_id} is assigned already")
        return record_new(self.store, action, assigned, tracking)

    def record_corrective_action_verdict(
        self,
        action_id: UUID,
        *,
        effective: bool,
        note: str,
        at: datetime,
        meta: Meta,
        tracking: Tracking,
    ) -> CorrectiveAction:
        action = self.corrective_action(action_id)
        if effective:
            action.record_verified(note=note, at=at, meta=meta)
        else:
            action.record_reopened(note=note, at=at, meta=meta)
        self.store.record(action, tracking=tracking)
        return action

    def corrective_action(self, action_id: UUID) -> CorrectiveAction:
        return self.store.load_as(
            CorrectiveAction,
            action_id,
            CorrectiveActionNotFound,
            f"no corrective action {action_id}",
        )

    report_corrective_action_progress = step(
        corrective_action, CorrectiveAction.report_progress, clock.timed
    )

    report_corrective_action_progress = step(
        corrective_action, CorrectiveAction.report_progress, clock.timed
    )
