"""The parts of a governance meeting: attendees, agenda items, motions, minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args
from uuid import UUID

from services.pc_governance.domain.decision_subject import Subject

# the open items an agenda is assembled from; an item added by hand is "other"
AgendaSource = Literal[
    "authorization_request",
    "visit_template_draft",
    "corrective_action",
    "protocol_review",
    "credential_expiring",
    "quality_finding",
    "performance_report",
    "coverage_gap",
    "chart_review_shortfall",
    "month_without_meeting",
]
AgendaKind = Literal[AgendaSource, "other"]
AGENDA_KINDS: tuple[str, ...] = get_args(AgendaKind)
DISPOSITIONS = ("decided", "deferred", "noted")
VOTE_CHOICES = ("for", "against", "abstain")
# PC members count towards quorum and vote; others (the MSO, guests) attend only.
PC_MEMBER_ROLES = ("medical_director", "physician", "app", "pc_quality")
ATTENDEE_ROLES = (*PC_MEMBER_ROLES, "mso_representative", "guest")

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_period(value: str) -> bool:
    return bool(_PERIOD.match(value))


@dataclass(frozen=True)
class QuorumRule:
    min_present: int
    medical_director_required: bool


@dataclass
class Attendee:
    person_id: str
    name: str
    role: str
    present: bool

    @property
    def is_pc_member(self) -> bool:
        return self.role in PC_MEMBER_ROLES


@dataclass
class AgendaItem:
    item_id: UUID
    kind: str
    reference: str
    title: str
    source: str
    disposition: str | None = None
    decision_id: UUID | None = None
    deferred_to: str | None = None
    note: str | None = None

    def dispose(
        self, disposition: str, decision_id: UUID | None, deferred_to: str | None, note: str | None
    ) -> None:
        self.disposition, self.decision_id = disposition, decision_id
        self.deferred_to, self.note = deferred_to, note


@dataclass
class Motion:
    motion_id: UUID
    item_id: UUID
    text: str
    moved_by: str
    votes: dict[str, str] = field(default_factory=dict)
    subject: Subject | None = None  # what it decides; None for motions on nothing itemized
    outcome: str | None = None  # None while open; then carried or failed
    decision_id: UUID | None = None
    decided_at: datetime | None = None

    def carry(self, decision_id: UUID, decided_at: datetime) -> None:
        self.outcome, self.decision_id, self.decided_at = "carried", decision_id, decided_at

    def tally(self) -> dict[str, int]:
        return {c: sum(1 for v in self.votes.values() if v == c) for c in VOTE_CHOICES}

    def carried_subject(self, period: str, item: AgendaItem) -> dict[str, str]:
        """What the decision is about, carried on its event: the motion, its item, what it decides."""
        return {
            "period": period,
            "text": self.text,
            "item_id": str(item.item_id),
            "item_kind": item.kind,
            "item_reference": item.reference,
            **(
                {"decides_kind": self.subject.kind, "decides_id": self.subject.id}
                if self.subject
                else {}
            ),
        }


@dataclass(frozen=True)
class Amendment:
    amendment_id: UUID
    amends: UUID
    text: str
    reason: str
    amended_at: datetime
    amended_by: str


@dataclass
class Minutes:
    minutes_id: UUID
    text: str
    drafted_by: str
    revision: int = 1
    approved_by: str | None = None
    approved_at: datetime | None = None
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def revise(self, text: str, drafted_by: str) -> None:
        self.text = text
        self.drafted_by = drafted_by
        self.revision += 1

    def approve(self, approved_by: str, approved_at: datetime) -> None:
        self.approved_by, self.approved_at = approved_by, approved_at

    def amend(
        self, amendment_id: UUID, amends: UUID, text: str, reason: str, at: datetime, by: str
    ) -> None:
        """A change after approval: kept beside the approved text, which stays as it was."""
        self.amendments.append(Amendment(amendment_id, amends, text, reason, at, by))
