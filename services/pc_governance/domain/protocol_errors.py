"""What the protocol lifecycle refuses, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class ProtocolNotFound(NotFound):
    code = "protocol-not-found"
    title = "No such protocol"


class VersionNotFound(NotFound):
    code = "protocol-version-not-found"
    title = "The protocol has no such version"


class InvalidProtocolTransition(Conflict):
    code = "invalid-protocol-transition"
    title = "The version's state does not allow this"


class NoStandingVersion(Conflict):
    code = "no-standing-protocol-version"
    title = "The protocol has no approved version in effect or scheduled"


class InvalidProtocolScope(RuleViolation):
    code = "invalid-protocol-scope"
    title = "A protocol needs a known type, known service lines, and its sites or all sites"


class UnworkableEffectiveDate(RuleViolation):
    code = "unworkable-protocol-date"
    title = "The date would make versions overlap, take effect in the past, or never be reviewed"
