"""What a decision's basis must name when it rests on a governance meeting.

Every PC decision names its basis: a governance meeting decision or a Medical Director's
act, with a reference. A decision that rests on a governance meeting - on any
authorization (service line, go-live, material change), on a visit template, or a
corrective action the meeting ordered - names the decision itself: the id of a carried
motion in the decision log, so that provenance always resolves it to the motion, its
vote and its minutes. A Medical Director's act keeps its free reference.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.pc_governance.domain.authorization_errors import MeetingDecisionNotFound
from services.pc_governance.domain.errors import DecisionBasisRequired

BASIS_KINDS = ("meeting_decision", "medical_director_act")
MEETING_DECISION = "meeting_decision"

DecisionLog = Callable[[UUID], bool]
"""Whether a decision id is in the meeting decision log."""


def check_basis(basis: dict[str, str]) -> None:
    if basis.get("kind") not in BASIS_KINDS or not basis.get("reference", "").strip():
        raise DecisionBasisRequired(
            "basis.kind must be meeting_decision or medical_director_act, with a reference"
        )


def check_meeting_decision_is_logged(
    basis: dict[str, str], decision_log: DecisionLog, *, field: str = "basis.reference"
) -> None:
    """A meeting_decision basis (or source, at `field`) must be a carried motion's decision id."""
    if basis.get("kind") != MEETING_DECISION:
        return
    reference = basis.get("reference", "").strip()
    try:
        decision_id = UUID(reference)
    except ValueError:
        raise MeetingDecisionNotFound(
            "a meeting_decision names the decision id of a carried motion (GET /decisions), "
            f"not {reference!r}",
            field=field,
        ) from None
    if not decision_log(decision_id):
        raise MeetingDecisionNotFound(
            f"no carried motion with decision id {decision_id} in the decision log",
            field=field,
        )
