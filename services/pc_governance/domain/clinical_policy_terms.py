"""What a version of coding rules or of the records policy must say, beyond its bounds.

The API bounds each value; the rules here are those a single field cannot state: a code
appears once in a version of coding rules, a record type once in a retention schedule and
a recipient once in the release rules, so that "what is the fee of code C" and "what
does releasing to R require" have one answer in a version.
"""

from __future__ import annotations

from typing import Any

from contracts.v1.service_lines import SERVICE_LINES
from services.pc_governance.domain.clinical_policy_errors import InvalidClinicalPolicyTerms

CODING_RULES = "coding_rules"
RECORDS_POLICY = "records_policy"

# the parts of a version of each kind, and the key that names an entry of each once
PARTS: dict[str, dict[str, str]] = {
    CODING_RULES: {"codes": "code"},
    RECORDS_POLICY: {"retention": "record_type", "release": "recipient"},
}


def check_terms(kind: str, terms: dict[str, Any], service_line: str | None = None) -> None:
    """InvalidClinicalPolicyTerms naming the first part at fault."""
    parts = PARTS[kind]
    if set(terms) != set(parts):
        raise InvalidClinicalPolicyTerms(
            f"a version of {kind} states {', '.join(parts)}", field=", ".join(parts)
        )
    for part, key in parts.items():
        entries = terms[part]
        if not entries:
            raise InvalidClinicalPolicyTerms(f"{part} must not be empty", field=part)
        names = [str(entry[key]).strip().casefold() for entry in entries]
        if len(set(names)) != len(names):
            raise InvalidClinicalPolicyTerms(f"each {key} appears once in {part}", field=part)
    if kind == CODING_RULES and service_line not in SERVICE_LINES:
        raise InvalidClinicalPolicyTerms(
            f"service_line must be one of {', '.join(SERVICE_LINES)}", field="service_line"
        )
