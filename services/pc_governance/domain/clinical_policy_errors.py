"""What the clinical-policy lifecycle (coding rules, records policy) refuses, with codes."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class ClinicalPolicyNotFound(NotFound):
    code = "clinical-policy-not-found"
    title = "No such coding rules or records policy"


class ClinicalPolicyVersionNotFound(NotFound):
    code = "clinical-policy-version-not-found"
    title = "The document has no such version"


class InvalidClinicalPolicyTransition(Conflict):
    code = "invalid-clinical-policy-transition"
    title = "The document's state does not allow this"


class InvalidClinicalPolicyTerms(RuleViolation):
    code = "invalid-clinical-policy-terms"
    title = "The version's codes, fees or rules break a rule"


class UnworkableClinicalPolicyDate(RuleViolation):
    code = "unworkable-clinical-policy-date"
    title = "The date would make versions overlap or act in the past"
