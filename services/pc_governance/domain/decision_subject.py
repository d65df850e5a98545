"""What a decision decides: its subject, named by kind and id (docs/adr/0019).

A motion may name the one item it decides - an authorization, a site, a service line at
a site (`<site id>/<service line>`), a visit template, a readiness standard, or a
coding-rules or records-policy document - and a decision on an item may rest only on a
carried motion whose subject is that item. A motion on an agenda item that an agenda
source raised (an authorization request, a visit-template draft) takes the
item's subject unless the mover names one; a motion without a subject decides nothing
itemized and cannot be the basis of an itemized decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.pc_governance.domain.meeting_errors import InvalidMeeting

SUBJECT_KINDS = (
    "authorization",
    "site",
    "service_line",
    "visit_template",
    "readiness_standard",
    "coding_rules",  # a coding-rules and fee-schedule document (ClinicalPolicy.kind)
    "records_policy",  # a medical-records policy document (ClinicalPolicy.kind)
)


@dataclass(frozen=True)
class Subject:
    kind: str
    id: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}

    @classmethod
    def from_dict(cls, data: dict[str, str] | None) -> Subject | None:
        return None if not data else cls(data["kind"], data["id"])

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


def _uuid(text: str) -> str:
    try:
        return str(UUID(text))
    except ValueError:
        raise InvalidMeeting(f"subject id {text!r} is not the id of the item") from None


def subject(kind: str, id: str) -> Subject:
    """A subject with its id in canonical form; InvalidMeeting when it cannot name an item."""
    if kind not in SUBJECT_KINDS:
        raise InvalidMeeting(f"subject.kind must be one of {', '.join(SUBJECT_KINDS)}")
    if kind != "service_line":
        return Subject(kind, _uuid(id.strip()))
    site, _, line = id.strip().partition("/")
    if not line.strip():
        raise InvalidMeeting("a service_line subject is <site id>/<service line>")
    return Subject(kind, f"{_uuid(site)}/{line.strip()}")


def from_agenda_item(kind: str, reference: str) -> Subject | None:
    """The subject an agenda item raised by a source implies, if any."""
    try:
        if kind == "authorization_request":
            return subject("authorization", reference)
        if kind == "visit_template_draft":
            return subject("visit_template", reference.partition("/")[0])
    except InvalidMeeting:
        return None
    return None
