"""The PC's answer to a proposed fee schedule version, as it arrived through the PC's feed.

The MSO proposes a version (`FeeSchedule.add_version`); it is only a proposal until the
PC countersigns it. One answer per version, recorded from the feed exactly once: a
countersigned version may be used for invoices, a declined one never is. The answer is
an aggregate of its own (its id fixed by the version number), so a PC answer never
changes the fee schedule's ETag that an MSO clerk holds for the next proposal.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import FeeScheduleAnswerConflict
from services.mso_ops.domain.invoice import PcAnswer

PROPOSED = "proposed"
COUNTERSIGNED = "countersigned"
DECLINED = "declined"
ANSWERS = (COUNTERSIGNED, DECLINED)

_NAMESPACE = uuid.UUID("c5a1d0e2-3f47-4b8e-8d21-7e9b0f6a4c13")


class FeeScheduleAnswer(Aggregate):
    @staticmethod
    def create_id(schedule_version: int) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(schedule_version))

    @classmethod
    def record(
        cls,
        *,
        schedule_version: int,
        proposed_from: date,
        effective_from: date,
        answer: PcAnswer,
        meta: Meta,
    ) -> FeeScheduleAnswer:
        """The PC's answer; it must name the day the version was proposed from."""
        if answer.answer not in ANSWERS:
            raise FeeScheduleAnswerConflict(f"unknown answer {answer.answer!r}")
        if effective_from != proposed_from:
            raise FeeScheduleAnswerConflict(
                f"version {schedule_version} was proposed from {proposed_from}, "
                f"the answer names {effective_from}"
            )
        return cls(
            id=cls.create_id(schedule_version),
            schedule_version=schedule_version,
            meta=meta,
            **asdict(answer),
        )

    class Recorded(PcAnswer, Aggregate.Created):
        schedule_version: int
        meta: Meta

    @event(Recorded)
    def __init__(
        self,
        id: UUID,
        schedule_version: int,
        answer: str,
        reason: str | None,
        decision_id: UUID,
        answered_by: str,
        answered_by_role: str,
        answered_at: datetime,
        meta: Meta,
    ) -> None:
        self.schedule_version = schedule_version
        self.answer = answer
        self.reason = reason
        self.decision_id = decision_id
        self.answered_by = answered_by
        self.answered_by_role = answered_by_role
        self.answered_at = answered_at
