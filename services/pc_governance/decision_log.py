"""Resolve a decision id to its carried motion, from the event store (docs/adr/0019).

A decision carried since ADR 0019 has its own entry in the event store, saved with the
meeting. A decision carried before it has none: its meeting is found in the decision
log's read model (which has long caught up with such a decision) and loaded from the
event store, so the motion and its subject still come from the log itself.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from mhg.readstore import ReadStore
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.domain.authorization_basis import Carried, DecisionLog
from services.pc_governance.domain.logged_decision import LoggedDecision
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.projections.meetings import meeting_of_decision


def decision_log(gov: PcGovernanceApplication, store: ReadStore) -> DecisionLog:
    def _get(aggregate_id: UUID) -> object | None:
        try:
            found: object = gov.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found

    def carried_before_adr_0019(decision_id: UUID) -> Carried | None:
        meeting_id = meeting_of_decision(store, decision_id)
        meeting = _get(meeting_id) if meeting_id is not None else None
        if not isinstance(meeting, Meeting):
            return None
        for motion in meeting.decisions:
            if motion.decision_id == decision_id:
                return Carried(decision_id, meeting.id, motion.motion_id, motion.subject)
        return None

    def resolve(decision_id: UUID) -> Carried | None:
        entry = _get(decision_id)
        if isinstance(entry, LoggedDecision):
            return Carried(decision_id, entry.meeting_id, entry.motion_id, entry.subject)
        if entry is not None:  # the id of something else: no decision
            return None
        return carried_before_adr_0019(decision_id)

    return resolve
