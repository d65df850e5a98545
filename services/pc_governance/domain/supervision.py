"""The PC's supervision structure: which physician supervises which APP, and the rules.

One aggregate holds the rules and every assignment, so a capacity check and the
assignment it admits are decided against the same state (optimistic concurrency).
Capacity: on no day may a physician supervise more APPs than `max_apps_per_physician`.
Both parties must be eligible when assigned; a later lapse does not end the
assignment but shows it as a violation (a read model) until renewed or ended.
After every change the structure is published: the rules and every assignment that
has not ended before the day of publication.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.supervision import PublishedRules
from mhg.errors import AlreadyExists
from mhg.meta import Meta
from services.pc_governance.domain.clinician import APP_ROLES, SUPERVISING_ROLES
from services.pc_governance.domain.clinician_errors import (
    AppNotEligible,
    AssignmentAlreadyEnded,
    AssignmentNotFound,
    AssignmentOverlaps,
    InvalidAssignment,
    InvalidSupervisionRules,
    RulesExceededByAssignments,
    SupervisorAtCapacity,
    SupervisorNotEligible,
)
from services.pc_governance.domain.supervision_assignment import (
    ACTIVE,
    ENDED,
    Assignment,
    Party,
    peak_load,
)

MAX_APPS_LIMIT = 20


def _check_rules(max_apps_per_physician: int, chart_review_share_percent: int) -> None:
    if not 1 <= max_apps_per_physician <= MAX_APPS_LIMIT:
        raise InvalidSupervisionRules(
            f"max_apps_per_physician must be between 1 and {MAX_APPS_LIMIT}"
        )
    if not 1 <= chart_review_share_percent <= 100:
        raise InvalidSupervisionRules("chart_review_share_percent must be between 1 and 100")


class SupervisionStructure(Aggregate):
    ID = uuid.UUID("4d8e2c61-0a7b-4f3e-9b25-6c1d7e8f9a30")

    @classmethod
    def establish(
        cls,
        *,
        max_apps_per_physician: int,
        chart_review_share_percent: int,
        today: date,
        meta: Meta,
    ) -> SupervisionStructure:
        _check_rules(max_apps_per_physician, chart_review_share_percent)
        structure = cls(
            id=cls.ID,
            max_apps_per_physician=max_apps_per_physician,
            chart_review_share_percent=chart_review_share_percent,
            meta=meta,
        )
        structure._publish(meta, today)
        return structure

    class Established(Aggregate.Created):
        max_apps_per_physician: int
        chart_review_share_percent: int
        meta: Meta

    @event(Established)
    def __init__(
        self, id: UUID, max_apps_per_physician: int, chart_review_share_percent: int, meta: Meta
    ) -> None:
        self.max_apps_per_physician = max_apps_per_physician
        self.chart_review_share_percent = chart_review_share_percent
        self.assignments: dict[UUID, Assignment] = {}
        self.published_at: datetime | None = None

    def assignment(self, assignment_id: UUID) -> Assignment:
        try:
            return self.assignments[assignment_id]
        except KeyError:
            raise AssignmentNotFound(f"no supervision assignment {assignment_id}") from None

    def of_physician(self, physician_id: UUID) -> list[Assignment]:
        return [a for a in self.assignments.values() if a.physician_id == physician_id]

    def standing(self, today: date) -> list[Assignment]:
        """Assignments in force today or later: what the MSO must staff to."""
        return [
            a
            for a in self.assignments.values()
            if a.effective_to is None or a.effective_to >= today
        ]

    # commands
    def set_rules(
        self,
        *,
        max_apps_per_physician: int,
        chart_review_share_percent: int,
        today: date,
        meta: Meta,
    ) -> None:
        _check_rules(max_apps_per_physician, chart_review_share_percent)
        physicians = {a.physician_id for a in self.standing(today)}
        over = sorted(
            str(p)
            for p in physicians
            if peak_load(self.of_physician(p), today, None) > max_apps_per_physician
        )
        if over:
            raise RulesExceededByAssignments(
                f"{len(over)} physician(s) supervise more than {max_apps_per_physician} APPs "
                "from today on: end assignments first",
                physician_ids=over,
            )
        self._rules_set(
            max_apps_per_physician=max_apps_per_physician,
            chart_review_share_percent=chart_review_share_percent,
            meta=meta,
        )
        self._publish(meta, today)

    def assign(
        self,
        *,
        assignment_id: UUID,
        app: Party,
        physician: Party,
        effective_from: date,
        effective_to: date | None,
        today: date,
        meta: Meta,
    ) -> None:
        if app.role not in APP_ROLES:
            raise InvalidAssignment(f"app_id names a {app.role}; supervision is of an NP or PA")
        if physician.role not in SUPERVISING_ROLES:
            raise InvalidAssignment(f"physician_id names a {physician.role}, not a physician")
        if effective_to is not None and effective_to < effective_from:
            raise InvalidAssignment("effective_to must not be before effective_from")
        if assignment_id in self.assignments:
            raise AlreadyExists(f"supervision assignment {assignment_id} exists already")
        if not physician.eligible:
            raise SupervisorNotEligible(
                "the physician is not eligible to supervise",
                clinician_id=str(physician.clinician_id),
            )
        if not app.eligible:
            raise AppNotEligible("the APP is not eligible", clinician_id=str(app.clinician_id))
        current = self.of_physician(physician.clinician_id)
        if any(
            a.app_id == app.clinician_id and a.overlaps(effective_from, effective_to)
            for a in current
        ):
            raise AssignmentOverlaps("this physician supervises this APP on some of these dates")
        if peak_load(current, effective_from, effective_to) + 1 > self.max_apps_per_physician:
            raise SupervisorAtCapacity(
                f"the physician would supervise more than {self.max_apps_per_physician} APPs "
                "on some of these dates",
                max_apps_per_physician=self.max_apps_per_physician,
            )
        self._assigned(
            assignment_id=assignment_id,
            app_id=app.clinician_id,
            physician_id=physician.clinician_id,
            effective_from=effective_from,
            effective_to=effective_to,
            meta=meta,
        )
        self._publish(meta, today)

    def end(self, assignment_id: UUID, *, last_day: date, today: date, meta: Meta) -> None:
        """Shorten an assignment to end on `last_day` (its start day at the earliest)."""
        assignment = self.assignment(assignment_id)
        if assignment.status == ENDED:
            raise AssignmentAlreadyEnded(f"the assignment ended on {assignment.effective_to}")
        if last_day < assignment.effective_from:
            raise InvalidAssignment(f"the assignment starts on {assignment.effective_from}")
        if assignment.effective_to is not None and last_day > assignment.effective_to:
            raise InvalidAssignment(f"the assignment already ends on {assignment.effective_to}")
        self._ended(assignment_id=assignment_id, effective_to=last_day, meta=meta)
        self._publish(meta, today)

    def _publish(self, meta: Meta, today: date) -> None:
        assignments = [a.published() for a in self.standing(today)]
        rules = PublishedRules(
            self.max_apps_per_physician,
            self.chart_review_share_percent,
            assignments,
            datetime.now(UTC),
        )
        self.trigger_event(self.Published, meta=meta, **asdict(rules))

    # events
    class RulesSet(Aggregate.Event):
        max_apps_per_physician: int
        chart_review_share_percent: int
        meta: Meta

    @event(RulesSet)
    def _rules_set(
        self, max_apps_per_physician: int, chart_review_share_percent: int, meta: Meta
    ) -> None:
        self.max_apps_per_physician = max_apps_per_physician
        self.chart_review_share_percent = chart_review_share_percent

    class Assigned(Aggregate.Event):
        assignment_id: UUID
        app_id: UUID
        physician_id: UUID
        effective_from: date
        effective_to: date | None
        meta: Meta

    @event(Assigned)
    def _assigned(
        self,
        assignment_id: UUID,
        app_id: UUID,
        physician_id: UUID,
        effective_from: date,
        effective_to: date | None,
        meta: Meta,
    ) -> None:
        self.assignments[assignment_id] = Assignment(
            assignment_id, app_id, physician_id, effective_from, effective_to
        )

    class AssignmentEnded(Aggregate.Event):
        assignment_id: UUID
        effective_to: date
        meta: Meta

    @event(AssignmentEnded)
    def _ended(self, assignment_id: UUID, effective_to: date, meta: Meta) -> None:
        assignment = self.assignments[assignment_id]
        assignment.effective_to = effective_to
        assignment.status = ENDED

    class Published(PublishedRules, Aggregate.Event):
        meta: Meta

    @event(Published)
    def _published(self, published_at: datetime) -> None:
        self.published_at = published_at


# An assignment's values moved to supervision_assignment; importers still name them here.
__all__ = ["ACTIVE", "ENDED", "Assignment", "Party", "SupervisionStructure", "peak_load"]
