"""Errors of credentialing and supervision structures, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class ClinicianNotFound(NotFound):
    code = "clinician-not-found"
    title = "No such clinician"


class ClinicianAlreadyRegistered(Conflict):
    code = "clinician-already-registered"
    title = "A clinician with this NPI is registered already"


class InvalidClinician(RuleViolation):
    code = "invalid-clinician"
    title = "The clinician breaks a rule of credentialing"


class CredentialNotFound(NotFound):
    code = "credential-not-found"
    title = "No such credential on this clinician"


class CredentialAlreadyOnFile(Conflict):
    code = "credential-already-on-file"
    title = "This credential (kind, issuer and number) is on file already"


class InvalidCredential(RuleViolation):
    code = "invalid-credential"
    title = "The credential's dates or kind break a rule of credentialing"


class InvalidCredentialTransition(Conflict):
    code = "invalid-credential-transition"
    title = "The credential's state does not allow this step"


class CredentialOutOfDate(RuleViolation):
    code = "credential-out-of-date"
    title = "The credential's expiry has passed: renew it with its new expiry instead"


class SweepDateInFuture(RuleViolation):
    code = "sweep-date-in-future"
    title = "Credentials cannot be recorded expired before their date has passed"


class SupervisionRulesNotFound(NotFound):
    code = "supervision-rules-not-found"
    title = "The PC has not set supervision rules yet"


class SupervisionRulesRequired(Conflict):
    code = "supervision-rules-required"
    title = "Set the supervision rules before assigning supervision"


class InvalidSupervisionRules(RuleViolation):
    code = "invalid-supervision-rules"
    title = "The supervision rules are out of range"


class RulesExceededByAssignments(Conflict):
    code = "rules-exceeded-by-assignments"
    title = "Current assignments already exceed the new maximum of APPs per physician"


class AssignmentNotFound(NotFound):
    code = "supervision-assignment-not-found"
    title = "No such supervision assignment"


class InvalidAssignment(RuleViolation):
    code = "invalid-supervision-assignment"
    title = "The assignment's parties or dates break a rule of supervision"


class SupervisorAtCapacity(Conflict):
    code = "supervisor-at-capacity"
    title = "The physician would supervise more APPs than the rules allow on these dates"


class AssignmentOverlaps(Conflict):
    code = "supervision-assignment-overlaps"
    title = "This physician already supervises this APP on overlapping dates"


class SupervisorNotEligible(Conflict):
    code = "supervisor-not-eligible"
    title = "The physician is not eligible to supervise (a credential is missing or expired)"


class AppNotEligible(Conflict):
    code = "app-not-eligible"
    title = "The APP is not eligible to practice (a credential is missing or expired)"


class AssignmentAlreadyEnded(Conflict):
    code = "supervision-assignment-ended"
    title = "The assignment has ended already"


class InvalidChartVolume(RuleViolation):
    code = "invalid-chart-volume"
    title = "The APP's chart count for the month is not valid"
