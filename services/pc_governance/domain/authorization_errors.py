"""Why a decision on a site go-live or a material change is refused."""

from __future__ import annotations

from mhg.errors import RuleViolation


class MeetingDecisionNotFound(RuleViolation):
    """A basis of kind meeting_decision must name a carried motion of the decision log."""

    code = "meeting-decision-not-found"
    title = "The basis names no decision in the governance meeting decision log"


class DecisionSubjectMismatch(RuleViolation):
    """A decision on an item rests only on a decision whose subject is that item."""

    code = "decision-subject-mismatch"
    title = "The basis decides another item than this decision"
