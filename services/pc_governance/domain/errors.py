from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class AuthorizationNotFound(NotFound):
    code = "authorization-not-found"
    title = "No such authorization"


class InvalidAuthorizationTransition(Conflict):
    code = "invalid-authorization-transition"
    title = "The authorization's state does not allow this decision"


class DecisionBasisRequired(RuleViolation):
    code = "decision-basis-required"
    title = "A decision must name the meeting decision or Medical Director act that made it"


class ReviewSampleNotFound(NotFound):
    code = "review-sample-not-found"
    title = "No such chart-review sample"


class FindingNotFound(NotFound):
    code = "finding-not-found"
    title = "No such finding in this review sample"


class ReviewSampleClosed(Conflict):
    code = "review-sample-closed"
    title = "The review sample is completed: its findings and score are final"


class InvalidReviewSample(RuleViolation):
    code = "invalid-review-sample"
    title = "The review sample or finding breaks a rule of chart review"


class CorrectiveActionNotFound(NotFound):
    code = "corrective-action-not-found"
    title = "No such corrective action"


class InvalidCorrectiveActionTransition(Conflict):
    code = "invalid-corrective-action-transition"
    title = "The corrective action's state does not allow this step"


class ProgressByOtherParty(Conflict):
    code = "progress-by-other-party"
    title = "Only the owner of a corrective action reports its progress"


class InvalidCorrectiveAction(RuleViolation):
    code = "invalid-corrective-action"
    title = "The corrective action breaks a rule"
