"""Errors of documentation operations (clearance and physical forms), with stable codes."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class FormNotFound(NotFound):
    code = "form-not-found"
    title = "No such form"


class InvalidFormRequest(RuleViolation):
    code = "invalid-form-request"
    title = "The form request breaks a rule of documentation operations"


class InvalidFormTransition(Conflict):
    code = "invalid-form-transition"
    title = "The form's state does not allow this step"
