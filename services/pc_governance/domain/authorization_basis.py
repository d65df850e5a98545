"""What a decision's basis must name, by the kind of request it answers.

A site go-live or a material operational change that rests on a governance meeting
names the decision itself: the id of a carried motion in the decision log. The rule
holds those kinds to it; service-line decisions keep their free-text references
(minutes item numbers) as before.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.pc_governance.domain.authorization_errors import MeetingDecisionNotFound

LOGGED_BASIS_KINDS = frozenset({"site_go_live", "material_change"})

DecisionLog = Callable[[UUID], bool]
"""Whether a decision id is in the meeting decision log."""


def check_basis_is_logged(kind: str, basis: dict[str, str], decision_log: DecisionLog) -> None:
    if kind not in LOGGED_BASIS_KINDS or basis.get("kind") != "meeting_decision":
        return
    reference = basis.get("reference", "").strip()
    try:
        decision_id = UUID(reference)
    except ValueError:
        raise MeetingDecisionNotFound(
            "for a site go-live or a material change, a meeting_decision basis names the "
            "decision id of a carried motion (GET /decisions)",
            field="basis.reference",
        ) from None
    if not decision_log(decision_id):
        raise MeetingDecisionNotFound(
            f"no carried motion with decision id {decision_id} in the decision log",
            field="basis.reference",
        )
