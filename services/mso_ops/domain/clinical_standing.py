"""What the PC has told the MSO about its clinicians: eligibility and supervision rules.

Both are the PC's decisions. They become MSO facts only when they arrive through the
PC's contract feed, and the MSO only records them: no MSO command changes them.
`ClinicianStanding` is keyed by the PC's clinician id; `SupervisionRules` is one
record, replaced whole by each publication (the message carries the whole structure).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.supervision import PublishedRules
from mhg.meta import Meta

SUPERVISING_ROLES = ("physician", "medical_director")
APP_ROLES = ("np", "pa")

_NAMESPACE = uuid.UUID("0e6b1d52-7a39-4c8e-b1f4-5d2a9c3e7f60")


@dataclass(frozen=True)
class Eligibility:
    """What the PC last said of a clinician: who, in what role, and whether they may practise."""

    name: str
    role: str
    eligible: bool
    reason: str
    effective_at: datetime
    lapses_on: date | None = None  # the day eligibility lapses unless renewed (ADR 0019)


@dataclass(frozen=True)
class StandingFacts(Eligibility):
    """What each event of a clinician's standing carries: the clinician, and what the PC
    said of them. Applying either event sets them all."""

    clinician_id: UUID = field(kw_only=True)
    meta: Meta = field(kw_only=True)

    def apply(self, aggregate: Any) -> None:
        aggregate.clinician_id = self.clinician_id
        aggregate.name = self.name
        aggregate.role = self.role
        aggregate.eligible = self.eligible
        aggregate.reason = self.reason
        aggregate.effective_at = self.effective_at
        aggregate.lapses_on = self.lapses_on


class ClinicianStanding(Aggregate):
    """A PC clinician as the MSO knows them: name, role and whether they may practise.

    Its state is what its last event said (`StandingFacts.apply`): the event methods below
    have nothing of their own to set."""

    if TYPE_CHECKING:  # what its events apply; annotated at run time, it would be a dataclass
        clinician_id: UUID
        name: str
        role: str
        eligible: bool
        reason: str
        effective_at: datetime
        lapses_on: date | None

    @staticmethod
    def create_id(clinician_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"clinician|{clinician_id}")

    @classmethod
    def first_heard(
        cls, *, clinician_id: UUID, eligibility: Eligibility, meta: Meta
    ) -> ClinicianStanding:
        return cls._create(
            cls.Recorded,
            id=cls.create_id(clinician_id),
            clinician_id=clinician_id,
            meta=meta,
            **asdict(eligibility),
        )

    class Recorded(StandingFacts, Aggregate.Created):
        pass

    @event(Recorded)
    def __init__(self) -> None:
        pass

    def eligible_on(self, day: date) -> bool:
        """Eligible as the PC last said, and `day` before the day their credentials lapse."""
        return self.eligible and (self.lapses_on is None or day < self.lapses_on)

    @property
    def is_app(self) -> bool:
        return self.role in APP_ROLES

    def record_change(self, *, eligibility: Eligibility, meta: Meta) -> None:
        self.trigger_event(
            self.Changed, clinician_id=self.clinician_id, meta=meta, **asdict(eligibility)
        )

    class Changed(StandingFacts, Aggregate.Event):
        pass

    @event(Changed)
    def _changed(self) -> None:
        pass


@dataclass(frozen=True)
class RulesFacts(PublishedRules):
    """What each event of the supervision rules carries: the rules as published. Applying
    either event sets them all."""

    def apply(self, aggregate: Any) -> None:
        aggregate.max_apps_per_physician = self.max_apps_per_physician
        aggregate.chart_review_share_percent = self.chart_review_share_percent
        aggregate.assignments = [dict(a) for a in self.assignments]
        aggregate.published_at = self.published_at


class SupervisionRules(Aggregate):
    """The supervision structure the MSO must staff to, as last published by the PC.

    Its state is what its last event said (`RulesFacts.apply`)."""

    if TYPE_CHECKING:  # what its events apply; annotated at run time, it would be a dataclass
        max_apps_per_physician: int
        chart_review_share_percent: int
        assignments: list[dict[str, Any]]
        published_at: datetime

    ID = uuid.UUID("b7f3a2c9-1d4e-4f60-8a5b-3c2e1f0d9a87")

    @classmethod
    def first_received(cls, *, rules: PublishedRules, meta: Meta) -> SupervisionRules:
        return cls._create(cls.Received, id=cls.ID, meta=meta, **asdict(rules))

    class Received(RulesFacts, Aggregate.Created):
        meta: Meta

    @event(Received)
    def __init__(self) -> None:
        pass

    def replace(self, *, rules: PublishedRules, meta: Meta) -> None:
        self.trigger_event(self.Replaced, meta=meta, **asdict(rules))

    class Replaced(RulesFacts, Aggregate.Event):
        meta: Meta

    @event(Replaced)
    def _replaced(self) -> None:
        pass


def supervision_assignment(
    assignment_id: UUID,
    app_id: UUID,
    physician_id: UUID,
    effective_from: date,
    effective_to: date | None,
) -> dict[str, Any]:
    """One APP <-> physician pairing as the rules record it."""
    return {
        "assignment_id": assignment_id,
        "app_id": app_id,
        "physician_id": physician_id,
        "effective_from": effective_from,
        "effective_to": effective_to,
    }
