"""What the visit-template lifecycle refuses, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class VisitTemplateNotFound(NotFound):
    code = "visit-template-not-found"
    title = "No such visit template"


class VisitTemplateVersionNotFound(NotFound):
    code = "visit-template-version-not-found"
    title = "The visit template has no such version"


class InvalidVisitTemplateTransition(Conflict):
    code = "invalid-visit-template-transition"
    title = "The visit template's state does not allow this"


class InvalidVisitTerms(RuleViolation):
    code = "invalid-visit-terms"
    title = "The template's scope, roles, visit length or volume limits break a rule"


class UnworkableVisitTemplateDate(RuleViolation):
    code = "unworkable-visit-template-date"
    title = "The date would make versions overlap or act in the past"
