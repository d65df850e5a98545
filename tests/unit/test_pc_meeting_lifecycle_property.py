"""A state machine that makes random moves, allowed or not, on one governance meeting."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.pc_governance.domain import meeting_errors as err
from services.pc_governance.domain.meeting import Meeting

# The lifecycle as the domain describes it, written independently of the aggregate.
WHERE: dict[str, set[str]] = {
    "open": {"scheduled"},
    "adjourn": {"in_session"},
    "close": {"adjourned"},
    "attend": {"scheduled", "in_session"},
    "add item": {"scheduled", "in_session"},
    "move": {"in_session"},
    "vote": {"in_session"},
    "decide": {"in_session"},
    "disposition": {"in_session", "adjourned"},
    "draft": {"in_session", "adjourned"},
    "approve": {"adjourned"},
    "amend": {"adjourned"},
}
NEXT = {"open": "in_session", "adjourn": "adjourned", "close": "closed"}
PEOPLE = {
    "md": "medical_director",
    "doc": "physician",
    "np": "app",
    "qa": "pc_quality",
    "mso": "mso_representative",
}
PC = {"medical_director", "physician", "app", "pc_quality"}
PERIOD = "2026-11"
AT = datetime(2026, 11, 5, 18, 0, tzinfo=UTC)

Refusal = type[DomainError] | None


def meta() -> Meta:
    return Meta("dr-md", "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


class MeetingLifecycle(RuleBasedStateMachine):
    @initialize(min_present=st.integers(1, 3), director_required=st.booleans())
    def schedule(self, min_present: int, director_required: bool) -> None:
        self.agg = Meeting.schedule(
            meeting_id=uuid.uuid4(),
            period=PERIOD,
            scheduled_for=AT,
            min_present=min_present,
            medical_director_required=director_required,
            meta=meta(),
        )
        self.events: list[Any] = list(self.agg.collect_events())
        self.min_present, self.director_required = min_present, director_required
        self.status = "scheduled"
        self.present: dict[str, bool] = {}
        self.items: dict[uuid.UUID, dict[str, Any]] = {}
        self.motions: dict[uuid.UUID, dict[str, Any]] = {}
        self.minutes: dict[str, Any] | None = None
        self.ever_closed = False

    # -- the model -------------------------------------------------------------

    def _status_refusal(self, move: str) -> Refusal:
        return None if self.status in WHERE[move] else err.InvalidMeetingTransition

    def _is_present_member(self, person: str) -> bool:
        return self.present.get(person, False) and PEOPLE[person] in PC

    def _has_quorum(self) -> bool:
        members = [p for p in PEOPLE if self._is_present_member(p)]
        return len(members) >= self.min_present and ("md" in members or not self.director_required)

    def _pick(self, pool: dict[uuid.UUID, Any], index: int) -> uuid.UUID:
        ids = list(pool)
        return ids[index] if index < len(ids) else uuid.uuid4()

    # -- the harness -----------------------------------------------------------

    def _view(self, meeting: Meeting) -> Any:
        return copy.deepcopy(
            (
                meeting.status,
                meeting.attendees,
                meeting.agenda,
                meeting.motions,
                meeting.minutes,
                meeting.quorum,
            )
        )

    def attempt(self, act: Callable[[], Any], refusal: Refusal) -> Any:
        version, before = self.agg.version, self._view(self.agg)
        refused: DomainError | None = None
        try:
            result = act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"refused with {refused!r}; the model allows it"
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert self._view(self.agg) == before
            assert list(self.agg.collect_events()) == []
            return None
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new = list(self.agg.collect_events())
        assert len(new) >= 1
        assert self.agg.version == version + len(new)
        self.events.extend(new)
        return result

    # -- rules -----------------------------------------------------------------

    @rule(step=st.sampled_from(["open", "adjourn", "close"]))
    def lifecycle(self, step: str) -> None:
        refusal = self._status_refusal(step)
        open_motions = any(m["outcome"] is None for m in self.motions.values())
        if refusal is None and step == "adjourn" and open_motions:
            refusal = err.MotionStillOpen
        if refusal is None and step == "close":
            if self.minutes is None or not self.minutes["approved"]:
                refusal = err.MinutesNotApproved
            elif any(i["disposition"] is None for i in self.items.values()):
                refusal = err.AgendaNotDispositioned
        self.attempt(lambda: getattr(self.agg, step)(at=AT, meta=meta()), refusal)
        if refusal is None:
            self.status = NEXT[step]
            self.ever_closed = self.ever_closed or self.status == "closed"

    @rule(person=st.sampled_from(sorted(PEOPLE)), present=st.booleans())
    def attend(self, person: str, present: bool) -> None:
        refusal = self._status_refusal("attend")
        self.attempt(
            lambda: self.agg.record_attendance(
                person_id=person,
                name=person.title(),
                role=PEOPLE[person],
                present=present,
                meta=meta(),
            ),
            refusal,
        )
        if refusal is None:
            self.present[person] = present

    @rule(
        kind=st.sampled_from(["authorization_request", "protocol_review", "other"]),
        reference=st.sampled_from(["r1", "r2", "r3"]),
    )
    def add_item(self, kind: str, reference: str) -> None:
        refusal = self._status_refusal("add item")
        if refusal is None and any(
            (i["kind"], i["reference"]) == (kind, reference) for i in self.items.values()
        ):
            refusal = err.DuplicateAgendaItem
        item_id = self.attempt(
            lambda: self.agg.add_agenda_item(
                kind=kind, reference=reference, title="t", meta=meta()
            ),
            refusal,
        )
        if refusal is None:
            self.items[item_id] = {"kind": kind, "reference": reference, "disposition": None}

    @rule(index=st.integers(0, 4), mover=st.sampled_from(sorted(PEOPLE)))
    def move(self, index: int, mover: str) -> None:
        item_id = self._pick(self.items, index)
        refusal = self._status_refusal("move")
        if refusal is None and item_id not in self.items:
            refusal = err.AgendaItemNotFound
        elif refusal is None and not self._is_present_member(mover):
            refusal = err.NotAPresentMember
        elif refusal is None and self.items[item_id]["disposition"] is not None:
            refusal = err.AgendaItemDispositioned
        motion_id = self.attempt(
            lambda: self.agg.move_motion(
                item_id=item_id, text="so moved", moved_by=mover, meta=meta()
            ),
            refusal,
        )
        if refusal is None:
            self.motions[motion_id] = {
                "item": item_id,
                "votes": {},
                "outcome": None,
                "decision": None,
            }

    @rule(
        index=st.integers(0, 3),
        voter=st.sampled_from(sorted(PEOPLE)),
        choice=st.sampled_from(["for", "against", "abstain"]),
    )
    def vote(self, index: int, voter: str, choice: str) -> None:
        motion_id = self._pick(self.motions, index)
        refusal = self._status_refusal("vote")
        if refusal is None and motion_id not in self.motions:
            refusal = err.MotionNotFound
        elif refusal is None and self.motions[motion_id]["outcome"] is not None:
            refusal = err.MotionNotOpen
        elif refusal is None and not self._is_present_member(voter):
            refusal = err.NotAPresentMember
        elif refusal is None and voter in self.motions[motion_id]["votes"]:
            refusal = err.VoteAlreadyCast
        self.attempt(
            lambda: self.agg.vote(motion_id, voter=voter, choice=choice, meta=meta()), refusal
        )
        if refusal is None:
            self.motions[motion_id]["votes"][voter] = choice

    @rule(index=st.integers(0, 3))
    def decide(self, index: int) -> None:
        motion_id = self._pick(self.motions, index)
        refusal = self._status_refusal("decide")
        if refusal is None and motion_id not in self.motions:
            refusal = err.MotionNotFound
        elif refusal is None and self.motions[motion_id]["outcome"] is not None:
            refusal = err.MotionNotOpen
        elif refusal is None and not self._has_quorum():
            refusal = err.QuorumNotMet
        outcome = self.attempt(
            lambda: self.agg.decide_motion(motion_id, at=AT, meta=meta()), refusal
        )
        if refusal is None:
            votes = list(self.motions[motion_id]["votes"].values())
            expected = "carried" if votes.count("for") > votes.count("against") else "failed"
            assert outcome == expected
            self.motions[motion_id]["outcome"] = expected
            self.motions[motion_id]["decision"] = self.agg.motion(motion_id).decision_id
            assert (self.motions[motion_id]["decision"] is not None) == (expected == "carried")

    @rule(
        index=st.integers(0, 4),
        disposition=st.sampled_from(["decided", "deferred", "noted"]),
        decision=st.sampled_from(["own", "other", "none"]),
        deferred_to=st.sampled_from(["2026-10", PERIOD, "2026-12", "2027-01"]),
    )
    def disposition(self, index: int, disposition: str, decision: str, deferred_to: str) -> None:
        item_id = self._pick(self.items, index)
        carried = [
            (m["item"], m["decision"]) for m in self.motions.values() if m["decision"] is not None
        ]
        own = [d for i, d in carried if i == item_id]
        other = [d for i, d in carried if i != item_id]
        decision_id = {
            "own": own[0] if own else uuid.uuid4(),
            "other": other[0] if other else uuid.uuid4(),
            "none": None,
        }[decision]
        refusal = self._status_refusal("disposition")
        if refusal is None and item_id not in self.items:
            refusal = err.AgendaItemNotFound
        elif refusal is None and self.items[item_id]["disposition"] is not None:
            refusal = err.AgendaItemDispositioned
        elif refusal is None and (
            (disposition == "decided" and decision_id not in own)
            or (disposition == "deferred" and deferred_to <= PERIOD)
        ):
            refusal = err.InvalidDisposition
        self.attempt(
            lambda: self.agg.disposition(
                item_id,
                disposition=disposition,
                decision_id=decision_id,
                deferred_to=deferred_to,
                note=None,
                meta=meta(),
            ),
            refusal,
        )
        if refusal is None:
            self.items[item_id]["disposition"] = disposition

    @rule(text=st.text(min_size=1, max_size=20))
    def draft(self, text: str) -> None:
        refusal = self._status_refusal("draft")
        if refusal is None and self.minutes is not None and self.minutes["approved"]:
            refusal = err.MinutesLocked
        self.attempt(lambda: self.agg.draft_minutes(text=text, meta=meta()), refusal)
        if refusal is None:
            if self.minutes is None:
                self.minutes = {"revision": 1, "approved": False, "amendments": 0, "text": text}
            else:
                self.minutes.update(revision=self.minutes["revision"] + 1, text=text)

    @rule(offset=st.sampled_from([0, 0, 0, -1, 1]))
    def approve(self, offset: int) -> None:
        revision = (self.minutes["revision"] if self.minutes else 1) + offset
        refusal = self._status_refusal("approve")
        if refusal is None and self.minutes is None:
            refusal = err.MinutesNotDrafted
        elif refusal is None and self.minutes is not None and self.minutes["approved"]:
            refusal = err.MinutesLocked
        elif refusal is None and offset != 0:
            refusal = err.StaleMinutesRevision
        self.attempt(lambda: self.agg.approve_minutes(revision=revision, meta=meta()), refusal)
        if refusal is None and self.minutes is not None:
            self.minutes["approved"] = True

    @rule(text=st.text(min_size=1, max_size=20))
    def amend(self, text: str) -> None:
        refusal = self._status_refusal("amend")
        if refusal is None and (self.minutes is None or not self.minutes["approved"]):
            refusal = err.MinutesNotApproved
        self.attempt(lambda: self.agg.amend_minutes(text=text, reason="typo", meta=meta()), refusal)
        if refusal is None and self.minutes is not None:
            self.minutes["amendments"] += 1

    # Composed of the rules above (so the model still judges each move): a quorate sitting
    # and a wrap-up, without which random walks rarely carry a motion or reach closed.
    @precondition(lambda self: self.status == "in_session")
    @rule(against=st.booleans())
    def a_quorate_sitting(self, against: bool) -> None:
        for person in ("md", "doc", "np"):
            self.attend(person, present=True)
        open_items = [i for i, item in enumerate(self.items.values()) if not item["disposition"]]
        if not open_items:
            self.add_item("other", f"r{len(self.items) + 10}")
            open_items = [len(self.items) - 1]
        motions = len(self.motions)
        self.move(open_items[0], "doc")
        assert len(self.motions) == motions + 1
        last = motions
        self.vote(last, "md", "against" if against else "for")
        self.vote(last, "doc", "for")
        self.decide(last)

    @precondition(lambda self: self.status == "adjourned")
    @rule()
    def a_wrap_up(self) -> None:
        for index, item in enumerate(list(self.items.values())):
            if item["disposition"] is None:
                self.disposition(index, "decided", "own", PERIOD)
                self.disposition(index, "noted", "none", PERIOD)
        if self.minutes is None:
            self.draft("minutes")
        self.approve(0)

    @precondition(lambda self: self.status == "closed")
    @rule()
    def a_closed_meeting_refuses_everything(self) -> None:
        item_id = next(iter(self.items), uuid.uuid4())
        motion_id = next(iter(self.motions), uuid.uuid4())
        moves: list[Callable[[], Any]] = [
            lambda: self.agg.open(at=AT, meta=meta()),
            lambda: self.agg.adjourn(at=AT, meta=meta()),
            lambda: self.agg.close(at=AT, meta=meta()),
            lambda: self.agg.record_attendance(
                person_id="md", name="Md", role="medical_director", present=True, meta=meta()
            ),
            lambda: self.agg.add_agenda_item(kind="other", reference="new", title="t", meta=meta()),
            lambda: self.agg.assemble_agenda([("other", "x", "t")], meta=meta()),
            lambda: self.agg.move_motion(item_id=item_id, text="t", moved_by="md", meta=meta()),
            lambda: self.agg.vote(motion_id, voter="md", choice="for", meta=meta()),
            lambda: self.agg.decide_motion(motion_id, at=AT, meta=meta()),
            lambda: self.agg.disposition(
                item_id,
                disposition="noted",
                decision_id=None,
                deferred_to=None,
                note=None,
                meta=meta(),
            ),
            lambda: self.agg.draft_minutes(text="t", meta=meta()),
            lambda: self.agg.approve_minutes(revision=1, meta=meta()),
            lambda: self.agg.amend_minutes(text="t", reason="r", meta=meta()),
        ]
        for move in moves:
            self.attempt(move, err.InvalidMeetingTransition)

    # -- invariants ------------------------------------------------------------

    @invariant()
    def the_state_matches_the_model(self) -> None:
        assert self.agg.status == self.status
        assert self.agg.has_quorum == self._has_quorum()
        assert [i.disposition for i in self.agg.agenda] == [
            i["disposition"] for i in self.items.values()
        ]
        assert [(m.votes, m.outcome) for m in self.agg.motions] == [
            (m["votes"], m["outcome"]) for m in self.motions.values()
        ]
        if self.minutes is None:
            assert self.agg.minutes is None
        else:
            assert self.agg.minutes is not None
            assert self.agg.minutes.revision == self.minutes["revision"]
            assert self.agg.minutes.approved == self.minutes["approved"]
            assert len(self.agg.minutes.amendments) == self.minutes["amendments"]

    @invariant()
    def approved_minutes_keep_their_text_and_amendments_refer_to_them(self) -> None:
        minutes = self.agg.minutes
        if minutes is not None and self.minutes is not None:
            assert minutes.text == self.minutes["text"]
            assert all(a.amends == minutes.minutes_id for a in minutes.amendments)

    @invariant()
    def decisions_are_unique_and_carried(self) -> None:
        ids = [m.decision_id for m in self.agg.decisions]
        assert len(ids) == len(set(ids))
        assert all(i is not None for i in ids)

    @invariant()
    def closed_is_final(self) -> None:
        if self.ever_closed:
            assert self.agg.status == "closed"

    @invariant()
    def rebuilding_from_the_events_gives_the_same_meeting(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Meeting)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert self._view(rebuilt) == self._view(self.agg)


MeetingLifecycle.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None
)
TestMeetingLifecycle = MeetingLifecycle.TestCase
