"""The governance meeting aggregate: rules the state machine does not vary."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from mhg.meta import Meta
from services.pc_governance.domain import meeting_errors as err
from services.pc_governance.domain.meeting import Meeting

AT = datetime(2026, 11, 5, 18, 0, tzinfo=UTC)


def meta(actor: str = "dr-lee") -> Meta:
    return Meta(actor, "medical_director", "pc", "req", "corr", "cause")


def scheduled(**overrides: Any) -> Meeting:
    values: dict[str, Any] = {
        "meeting_id": uuid.uuid4(),
        "period": "2026-11",
        "scheduled_for": AT,
        "min_present": 1,
        "medical_director_required": True,
        "meta": meta(),
    }
    return Meeting.schedule(**{**values, **overrides})


@pytest.mark.parametrize(
    "overrides",
    [
        {"period": "2026-13"},
        {"period": "Nov 2026"},
        {"scheduled_for": datetime(2026, 11, 5, 18, 0)},
        {"min_present": 0},
        {"min_present": 101},
    ],
)
def test_a_meeting_needs_a_month_an_aware_time_and_a_sane_quorum(
    overrides: dict[str, Any],
) -> None:
    with pytest.raises(err.InvalidMeeting):
        scheduled(**overrides)


def test_the_scheduler_chairs_and_times_are_kept_in_utc() -> None:
    meeting = scheduled(meta=meta("dr-chair"))
    assert meeting.chair == "dr-chair"
    assert meeting.status == "scheduled"
    assert meeting.scheduled_for.tzinfo == UTC


def test_assembly_adds_only_what_is_missing_and_ignores_unknown_kinds() -> None:
    meeting = scheduled()
    meeting.add_agenda_item(kind="authorization_request", reference="a1", title="A1", meta=meta())
    added = meeting.assemble_agenda(
        [
            ("authorization_request", "a1", "again"),
            ("authorization_request", "a2", "A2"),
            ("authorization_request", "a2", "A2 twice"),
            ("gossip", "g", "G"),
        ],
        meta=meta(),
    )
    assert added == 1
    assert [(i.reference, i.source) for i in meeting.agenda] == [
        ("a1", "manual"),
        ("a2", "assembled"),
    ]


def test_a_carried_motion_event_tells_the_whole_decision() -> None:
    meeting = scheduled()
    item_id = meeting.add_agenda_item(
        kind="protocol_review", reference="p1", title="P", meta=meta()
    )
    meeting.record_attendance(
        person_id="dr-lee", name="Lee", role="medical_director", present=True, meta=meta()
    )
    meeting.open(at=AT, meta=meta())
    motion_id = meeting.move_motion(item_id=item_id, text="Renew", moved_by="dr-lee", meta=meta())
    meeting.vote(motion_id, voter="dr-lee", choice="for", meta=meta())
    meeting.collect_events()
    assert meeting.decide_motion(motion_id, at=AT, meta=meta()) == "carried"
    [carried] = list(meeting.collect_events())
    assert carried.subject == {  # type: ignore[attr-defined]
        "period": "2026-11",
        "text": "Renew",
        "item_id": str(item_id),
        "item_kind": "protocol_review",
        "item_reference": "p1",
    }
    assert carried.decision_id == meeting.motion(motion_id).decision_id  # type: ignore[attr-defined]


def test_a_tie_fails_and_abstentions_do_not_count() -> None:
    meeting = scheduled(medical_director_required=False)
    item_id = meeting.add_agenda_item(kind="other", reference="x", title="X", meta=meta())
    for person in ("a", "b", "c"):
        meeting.record_attendance(
            person_id=person, name=person, role="physician", present=True, meta=meta()
        )
    meeting.open(at=AT, meta=meta())
    motion_id = meeting.move_motion(item_id=item_id, text="t", moved_by="a", meta=meta())
    for person, choice in (("a", "for"), ("b", "against"), ("c", "abstain")):
        meeting.vote(motion_id, voter=person, choice=choice, meta=meta())
    assert meeting.decide_motion(motion_id, at=AT, meta=meta()) == "failed"
    assert meeting.decisions == []
