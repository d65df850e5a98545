"""What a decision decides: subjects, the basis check, and motions stored before subjects."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.meta import Meta
from services.pc_governance.domain import meeting_errors as err
from services.pc_governance.domain.authorization_basis import Carried, decided_item
from services.pc_governance.domain.authorization_errors import (
    DecisionSubjectMismatch,
    MeetingDecisionNotFound,
)
from services.pc_governance.domain.decision_subject import Subject, from_agenda_item, subject
from services.pc_governance.domain.errors import DecisionBasisRequired
from services.pc_governance.domain.meeting import Meeting

AT = datetime(2026, 11, 5, 18, tzinfo=UTC)
ITEM = uuid.uuid4()
SITE = uuid.uuid4()
MINE = [Subject("authorization", str(ITEM)), Subject("site", str(SITE))]


def meta() -> Meta:
    return Meta("dr-lee", "medical_director", "pc", "req", "corr", "cause")


def log_of(decides: Subject | None) -> tuple[uuid.UUID, Any]:
    decision_id = uuid.uuid4()

    def resolve(found: uuid.UUID) -> Carried | None:
        if found != decision_id:
            return None
        return Carried(decision_id, uuid.uuid4(), uuid.uuid4(), decides)

    return decision_id, resolve


def test_a_subject_names_an_item_in_canonical_form() -> None:
    assert subject("site", f"  {str(SITE).upper()} ") == Subject("site", str(SITE))
    assert subject("service_line", f"{SITE}/ sports ") == Subject("service_line", f"{SITE}/sports")
    for kind, id_ in (("site", "Eastside"), ("service_line", str(SITE)), ("patient", "p")):
        with pytest.raises(err.InvalidMeeting):
            subject(kind, id_)
    assert from_agenda_item("authorization_request", str(ITEM)) == MINE[0]
    assert from_agenda_item("visit_template_draft", f"{ITEM}/3") == Subject(
        "visit_template", str(ITEM)
    )
    assert from_agenda_item("authorization_request", "GM-11 item 2") is None
    assert from_agenda_item("other", str(ITEM)) is None


@pytest.mark.parametrize("decides", MINE)
def test_a_motion_on_the_item_is_its_basis_and_the_record_names_the_item(
    decides: Subject,
) -> None:
    decision_id, log = log_of(decides)
    basis = {"kind": "meeting_decision", "reference": str(decision_id), "subject": None}
    assert decided_item(basis, log, MINE) == {
        "kind": "meeting_decision",
        "reference": str(decision_id),
        "subject_kind": "authorization",
        "subject_id": str(ITEM),
    }


@given(
    st.one_of(
        st.none(),
        st.builds(
            Subject,
            st.sampled_from(["authorization", "site", "service_line", "visit_template"]),
            st.uuids().map(str),
        ),
    )
)
def test_a_motion_on_anything_else_or_on_nothing_is_refused(decides: Subject | None) -> None:
    if decides in MINE:
        return
    decision_id, log = log_of(decides)
    with pytest.raises(DecisionSubjectMismatch) as refused:
        decided_item({"kind": "meeting_decision", "reference": str(decision_id)}, log, MINE)
    assert refused.value.extensions == {"field": "basis.reference"}


def test_an_act_names_its_item_or_nothing() -> None:
    _, log = log_of(None)
    act = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
    assert decided_item(act, log, MINE)["subject_id"] == str(ITEM)
    named = {**act, "subject": {"kind": "site", "id": str(SITE)}}
    assert decided_item(named, log, MINE)["subject_kind"] == "authorization"
    for other in ({"kind": "site", "id": str(uuid.uuid4())}, {"kind": "site", "id": "x"}):
        with pytest.raises(DecisionSubjectMismatch):
            decided_item({**act, "subject": other}, log, MINE)
    with pytest.raises(MeetingDecisionNotFound):
        decided_item({"kind": "meeting_decision", "reference": str(uuid.uuid4())}, log, MINE)


def test_a_motion_stored_before_subjects_loads_without_one() -> None:
    meeting = Meeting.schedule(
        meeting_id=uuid.uuid4(),
        period="2026-11",
        scheduled_for=AT,
        min_present=1,
        medical_director_required=False,
        meta=meta(),
    )
    meeting.record_attendance(
        person_id="dr-lee", name="Dr Lee", role="medical_director", present=True, meta=meta()
    )
    item = meeting.add_agenda_item(
        kind="authorization_request", reference=str(ITEM), title="Go-live", meta=meta()
    )
    meeting.open(at=AT, meta=meta())
    motion_id = meeting.move_motion(item_id=item, text="Approve", moved_by="dr-lee", meta=meta())
    assert meeting.motion(motion_id).subject == MINE[0]
    events = meeting.collect_events()
    moved = next(e for e in events if type(e).__name__ == "MotionMoved")
    del moved.__dict__["subject"]  # as stored before ADR 0019
    replayed = None
    for stored in events:
        replayed = stored.mutate(replayed)
    assert isinstance(replayed, Meeting)
    assert replayed.motion(motion_id).subject is None
    assert replayed.motion(motion_id).text == "Approve"


def test_a_basis_without_kind_or_reference_is_refused_before_anything_else() -> None:
    _, log = log_of(None)
    for basis in ({}, {"kind": "medical_director_act"}, {"kind": "x", "reference": "r"}):
        with pytest.raises(DecisionBasisRequired):
            decided_item(basis, log, MINE)
