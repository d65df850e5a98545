"""Domain error kinds, shared by both contexts and free of any framework.

A domain raises a subclass with a stable `code`; the web layer turns the kind into
a status (not found 404, conflict 409, rule violation 422) and the code into the
problem type, so the same rule reads the same way to the CLI, a consumer and HTTP.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain-error"
    title = "The request breaks a rule of the domain"

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFound(DomainError):
    code = "not-found"
    title = "No such resource"


class Conflict(DomainError):
    """The current state forbids the action."""

    code = "conflict"
    title = "The current state forbids this action"


class RuleViolation(DomainError):
    """The input is well formed but a domain rule rejects it."""

    code = "rule-violation"
    title = "A domain rule rejects this input"


class AlreadyExists(Conflict):
    code = "already-exists"
    title = "A resource with this identity exists already"


class StaleVersion(DomainError):
    code = "stale-version"
    title = "The resource changed since the version you sent"


class ConcurrentUpdate(Conflict):
    code = "concurrent-update"
    title = "Another request changed this resource at the same time; retry"
