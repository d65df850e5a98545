"""What the MSO's side of a corrective action refuses."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class CorrectiveActionNotFound(NotFound):
    code = "corrective-action-not-found"
    title = "No corrective action with this id is assigned to the MSO"


class CorrectiveActionAlreadyAssigned(AlreadyExists):
    code = "corrective-action-already-assigned"
    title = "This corrective action is assigned to the MSO already"


class InvalidProgressReport(RuleViolation):
    code = "invalid-progress-report"
    title = "A progress report is in_progress or completed, with evidence"


class InvalidCorrectiveActionTransition(Conflict):
    code = "invalid-corrective-action-transition"
    title = "The corrective action's status forbids this step"
