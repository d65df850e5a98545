"""What a decision's basis must name when it rests on a governance meeting.

Every PC decision names its basis: a governance meeting decision or a Medical Director's
act, with a reference. A decision that rests on a governance meeting - on any
authorization (service line, go-live, material change), on a visit template, or a
corrective action the meeting ordered - names the decision itself: the id of a carried
motion in the decision log, so that provenance always resolves it to the motion, its
vote and its minutes. A Medical Director's act keeps its free reference.

A decision decides one thing (docs/adr/0019): a decision on an item (an authorization,
a visit template) rests only on a carried motion whose subject is that item, and the
basis it records names the item as its subject (`subject_kind`, `subject_id`), for a
meeting decision and a Medical Director's act alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.pc_governance.domain.authorization_errors import (
    DecisionSubjectMismatch,
    MeetingDecisionNotFound,
)
from services.pc_governance.domain.decision_subject import Subject, subject
from services.pc_governance.domain.errors import DecisionBasisRequired
from services.pc_governance.domain.meeting_errors import InvalidMeeting

BASIS_KINDS = ("meeting_decision", "medical_director_act")
MEETING_DECISION = "meeting_decision"


@dataclass(frozen=True)
class Carried:
    """A carried motion, as the decision log resolves its decision id."""

    decision_id: UUID
    meeting_id: UUID
    motion_id: UUID
    subject: Subject | None


DecisionLog = Callable[[UUID], Carried | None]
"""The carried motion with this decision id, or None."""


def check_basis(basis: dict[str, str]) -> None:
    if basis.get("kind") not in BASIS_KINDS or not basis.get("reference", "").strip():
        raise DecisionBasisRequired(
            "basis.kind must be meeting_decision or medical_director_act, with a reference"
        )


def check_meeting_decision_is_logged(
    basis: dict[str, str], decision_log: DecisionLog, *, field: str = "basis.reference"
) -> Carried | None:
    """A meeting_decision basis (or source, at `field`) must be a carried motion's decision id."""
    if basis.get("kind") != MEETING_DECISION:
        return None
    reference = basis.get("reference", "").strip()
    try:
        decision_id = UUID(reference)
    except ValueError:
        raise MeetingDecisionNotFound(
            "a meeting_decision names the decision id of a carried motion (GET /decisions), "
            f"not {reference!r}",
            field=field,
        ) from None
    carried = decision_log(decision_id)
    if carried is None:
        raise MeetingDecisionNotFound(
            f"no carried motion with decision id {decision_id} in the decision log",
            field=field,
        )
    return carried


def decided_item(
    basis: dict[str, Any],
    decision_log: DecisionLog,
    item: Sequence[Subject],
) -> dict[str, str]:
    """The basis of a decision on `item` (its subject first, then what else names it).

    A meeting decision must be a carried motion whose subject is among `item`; a basis
    that names a subject (`subject: {kind, id}`) must name one of `item`. The basis
    recorded names the item's own subject (`subject_kind`, `subject_id`).
    """
    given = {k: str(v) for k, v in basis.items() if v is not None and k != "subject"}
    check_basis(given)
    named = _named_subject(basis.get("subject"))
    if named is not None and named not in item:
        raise DecisionSubjectMismatch(
            f"the basis names {named}; this decision is on {item[0]}",
            field="basis.subject",
        )
    carried = check_meeting_decision_is_logged(given, decision_log)
    if carried is not None and carried.subject not in item:
        decides = carried.subject or "nothing itemized (the motion names no subject)"
        raise DecisionSubjectMismatch(
            f"the carried motion {carried.decision_id} decides {decides}, not {item[0]}",
            field="basis.reference",
        )
    return {
        "kind": given["kind"],
        "reference": given["reference"],
        "subject_kind": item[0].kind,
        "subject_id": item[0].id,
    }


def _named_subject(named: dict[str, str] | None) -> Subject | None:
    if not named:
        return None
    try:
        return subject(named["kind"], named["id"])
    except InvalidMeeting:  # names no item this decision could be on
        return Subject(named["kind"], named["id"])
