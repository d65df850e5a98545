"""What a decision's basis must name, by the kind of decision it records.

Every decision names its basis: a governance meeting decision or a Medical Director's
act, with a reference. A site go-live, a material operational change or a visit
template that rests on a governance meeting names the decision itself: the id of a
carried motion in the decision log. Service-line decisions keep their free-text
references (minutes item numbers) as before.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.pc_governance.domain.authorization_errors import MeetingDecisionNotFound
from services.pc_governance.domain.errors import DecisionBasisRequired

BASIS_KINDS = ("meeting_decision", "medical_director_act")
LOGGED_BASIS_KINDS = frozenset({"site_go_live", "material_change"})

DecisionLog = Callable[[UUID], bool]
"""Whether a decision id is in the meeting decision log."""


def check_basis(basis: dict[str, str]) -> None:
    if basis.get("kind") not in BASIS_KINDS or not basis.get("reference", "").strip():
        raise DecisionBasisRequired(
            "basis.kind must be meeting_decision or medical_director_act, with a reference"
        )


def check_basis_is_logged(kind: str, basis: dict[str, str], decision_log: DecisionLog) -> None:
    if kind not in LOGGED_BASIS_KINDS:
        return
    check_meeting_decision_is_logged(basis, decision_log, "a site go-live or a material change")


def check_meeting_decision_is_logged(
    basis: dict[str, str], decision_log: DecisionLog, what: str
) -> None:
    """A meeting_decision basis for `what` must be a carried motion's decision id."""
    if basis.get("kind") != "meeting_decision":
        return
    reference = basis.get("reference", "").strip()
    try:
        decision_id = UUID(reference)
    except ValueError:
        raise MeetingDecisionNotFound(
            f"for {what}, a meeting_decision basis names the "
            "decision id of a carried motion (GET /decisions)",
            field="basis.reference",
        ) from None
    if not decision_log(decision_id):
        raise MeetingDecisionNotFound(
            f"no carried motion with decision id {decision_id} in the decision log",
            field="basis.reference",
        )
