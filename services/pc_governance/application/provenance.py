"""Provenance of an authorization: every decision on it, resolved to its basis.

A decision rests on a governance meeting decision (a carried motion: its text, the
vote, and the state of the minutes that record it) or on a Medical Director's act
(who, in which role, when, under which reference), and an approval names the protocol
versions that apply. All of it is read from the event log: the authorization's events
and the meeting and protocol aggregates they point at. Two lookups come from the
caller (read models): which meeting logged a decision id, and which protocol has a
title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from mhg.history import events_of
from mhg.provenance import Arrival, arrival
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.errors import AuthorizationNotFound
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.protocol import Protocol

MeetingOfDecision = Callable[[UUID], UUID | None]
ProtocolTitled = Callable[[str], UUID | None]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_VERSIONED = re.compile(r"^(?P<name>.+?)\s*(?:\bv|\bversion\s*|@)\s*(?P<number>\d{1,6})$", re.I)


@dataclass(frozen=True)
class MeetingBasis:
    meeting_id: UUID
    period: str
    meeting_status: str
    decision_id: UUID
    motion_id: UUID
    motion: str
    agenda_item_kind: str
    agenda_item_reference: str
    tally: dict[str, int]
    votes: dict[str, str]
    decided_at: datetime | None
    minutes_status: str
    minutes_approved_at: datetime | None
    minutes_amendments: int


@dataclass(frozen=True)
class ProtocolCited:
    reference: str
    protocol_id: UUID | None = None
    number: int | None = None
    title: str | None = None
    status: str | None = None
    effective_from: date | None = None
    ended_on: date | None = None


@dataclass(frozen=True)
class DecisionTrace:
    decision_id: UUID
    decision: str
    decided_at: datetime
    decided_by: str
    decided_as: str | None
    basis: dict[str, str]
    event: Any
    meeting: MeetingBasis | None = None
    protocols: list[ProtocolCited] = field(default_factory=list)


@dataclass(frozen=True)
class AuthorizationTrace:
    authorization: Authorization
    requested_through: Arrival | None
    decisions: list[DecisionTrace]


class ProvenanceQueries(Capability):
    def authorization_provenance(
        self,
        authorization_id: UUID,
        *,
        meeting_of: MeetingOfDecision,
        protocol_titled: ProtocolTitled,
    ) -> AuthorizationTrace:
        authorization = self.store.load_as(
            Authorization,
            authorization_id,
            AuthorizationNotFound,
            f"no authorization {authorization_id}",
        )
        events = list(events_of(self.store, authorization_id))
        decided = {e.decision_id: e for e in events if hasattr(e, "decision_id")}
        traces = []
        for decision in authorization.decisions:
            event = decided[decision.decision_id]
            meta = getattr(event, "meta", None)
            cited = getattr(event, "protocol_refs", None) or []
            traces.append(
                DecisionTrace(
                    decision_id=decision.decision_id,
                    decision=decision.decision,
                    decided_at=decision.decided_at,
                    decided_by=decision.decided_by,
                    decided_as=getattr(meta, "actor_role", None),
                    basis=dict(decision.basis),
                    event=event,
                    meeting=self._meeting_basis(decision.basis, meeting_of),
                    protocols=[self._protocol_cited(ref, protocol_titled) for ref in cited],
                )
            )
        return AuthorizationTrace(authorization, arrival(events[0]), traces)

    def _meeting_basis(
        self, basis: dict[str, str], meeting_of: MeetingOfDecision
    ) -> MeetingBasis | None:
        if basis.get("kind") != "meeting_decision":
            return None
        found = _UUID.search(basis.get("reference", ""))
        if found is None:
            return None
        decision_id = UUID(found.group())
        meeting = self.recorded(Meeting, meeting_of(decision_id))
        if meeting is None:
            return None
        motion = next((m for m in meeting.motions if m.decision_id == decision_id), None)
        if motion is None:
            return None
        item = meeting.item(motion.item_id)
        minutes = meeting.minutes
        return MeetingBasis(
            meeting_id=meeting.id,
            period=meeting.period,
            meeting_status=meeting.status,
            decision_id=decision_id,
            motion_id=motion.motion_id,
            motion=motion.text,
            agenda_item_kind=item.kind,
            agenda_item_reference=item.reference,
            tally=motion.tally(),
            votes=dict(motion.votes),
            decided_at=motion.decided_at,
            minutes_status=(
                "not_drafted" if minutes is None else "approved" if minutes.approved else "draft"
            ),
            minutes_approved_at=minutes.approved_at if minutes else None,
            minutes_amendments=len(minutes.amendments) if minutes else 0,
        )

    def _protocol_cited(self, reference: str, protocol_titled: ProtocolTitled) -> ProtocolCited:
        """A reference such as `sports-clearance v3` or `<protocol id> v3`, if it resolves."""
        parsed = _VERSIONED.match(reference.strip())
        if parsed is None:
            return ProtocolCited(reference)
        name, number = parsed.group("name").strip(), int(parsed.group("number"))
        named = _UUID.fullmatch(name)
        protocol_id = UUID(name) if named else protocol_titled(name)
        protocol = self.recorded(Protocol, protocol_id)
        if protocol is None or not 1 <= number <= len(protocol.versions):
            return ProtocolCited(reference)
        version = protocol.version_numbered(number)
        return ProtocolCited(
            reference=reference,
            protocol_id=protocol.id,
            number=number,
            title=protocol.title,
            status=version.status,
            effective_from=version.effective_from,
            ended_on=version.ended_on,
        )
