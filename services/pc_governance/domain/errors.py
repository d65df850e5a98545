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
