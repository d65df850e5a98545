"""A state machine that takes random steps, allowed or not, on one CorrectiveAction."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.domain import Aggregate
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.meta import Meta
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.errors import (
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    ProgressByOtherParty,
)

# The lifecycle as the brief describes it, written independently of TRANSITIONS.
MODEL: dict[tuple[str, str], str] = {
    ("open", "in_progress"): "in_progress",
    ("in_progress", "in_progress"): "in_progress",
    ("in_progress", "completed"): "completed",
    ("completed", "verify"): "verified",
    ("completed", "reopen"): "in_progress",
}
TAKES_EVIDENCE = {"open", "in_progress", "completed"}
PUBLISHED = {"AssignedToMso", "MsoActionVerified", "MsoActionReopened"}

texts = st.one_of(
    st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "").map(lambda s: (True, s)),
    st.text(alphabet=" \t\n", max_size=3).map(lambda s: (False, s)),
)
parties = st.sampled_from(["pc", "mso"])


def pending(aggregate: Aggregate) -> list[Any]:
    return list(aggregate.collect_events())


def meta(actor: str = "dr-a") -> Meta:
    return Meta(actor, "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


class CorrectiveActionLifecycle(RuleBasedStateMachine):
    agg: CorrectiveAction

    @initialize(owner=parties)
    def open_action(self, owner: str) -> None:
        self.agg = CorrectiveAction.open(
            id=uuid.uuid4(),
            title="Fix intake forms",
            description="Missing consent line",
            owner=owner,
            assignee=None,
            due_on=date(2026, 12, 1),
            source={"kind": "audit", "reference": "AUD-7"},
            meta=meta(),
        )
        self.owner = owner
        self.events: list[Any] = pending(self.agg)
        self.status = "open"
        self.evidence = 0
        self.judgements: list[bool] = []
        self.verified = False

    def _accepted(self, target: str, version: int) -> list[Any]:
        assert self.agg.status == target
        assert self.agg.version == version + 1
        new = pending(self.agg)
        assert len(new) == 1
        self.events.extend(new)
        self.status = target
        return new

    def _refused(self, version: int, evidence: int) -> None:
        assert self.agg.status == self.status
        assert self.agg.version == version
        assert len(self.agg.evidence) == evidence
        assert pending(self.agg) == []

    @rule(status=st.sampled_from(["in_progress", "completed", "done"]), text=texts, party=parties)
    def report(self, status: str, text: tuple[bool, str], party: str) -> None:
        valid_text, the_text = text
        version, evidence = self.agg.version, len(self.agg.evidence)
        target = MODEL.get((self.status, status))
        try:
            self.agg.report_progress(
                status=status,
                text=the_text,
                document_ref=None,
                party=party,
                reported_at=datetime.now(UTC),
                meta=meta(),
            )
        except ProgressByOtherParty:
            assert party != self.owner
        except InvalidCorrectiveActionTransition:
            assert party == self.owner
            assert target is None
        except InvalidCorrectiveAction:
            assert party == self.owner
            assert status == "done" or not valid_text
        else:
            assert party == self.owner
            assert target is not None
            assert valid_text
            self._accepted(target, version)
            self.evidence += 1
            return
        self._refused(version, evidence)

    @rule(text=texts)
    def add_evidence(self, text: tuple[bool, str]) -> None:
        valid_text, the_text = text
        version, evidence = self.agg.version, len(self.agg.evidence)
        try:
            self.agg.add_evidence(text=the_text, document_ref="DOC", party="pc", meta=meta())
        except InvalidCorrectiveActionTransition:
            assert self.status not in TAKES_EVIDENCE
        except InvalidCorrectiveAction:
            assert self.status in TAKES_EVIDENCE
            assert not valid_text
        else:
            assert self.status in TAKES_EVIDENCE
            assert valid_text
            self._accepted(self.status, version)
            self.evidence += 1
            return
        self._refused(version, evidence)

    @rule(step=st.sampled_from(["verify", "reopen"]), note=texts, actor=st.sampled_from(["a", "b"]))
    def judge(self, step: str, note: tuple[bool, str], actor: str) -> None:
        valid_note, the_note = note
        version, evidence = self.agg.version, len(self.agg.evidence)
        target = MODEL.get((self.status, step))
        try:
            getattr(self.agg, step)(note=the_note, meta=meta(actor))
        except InvalidCorrectiveActionTransition:
            assert target is None
        except InvalidCorrectiveAction:
            assert target is not None
            assert not valid_note
        else:
            assert target is not None
            assert valid_note
            [event] = self._accepted(target, version)
            published = type(event).__name__ in PUBLISHED
            assert published == (self.owner == "mso")
            self.judgements.append(step == "verify")
            self.verified = self.verified or step == "verify"
            assert self.agg.verifications[-1].verified_by == actor
            return
        self._refused(version, evidence)

    @invariant()
    def status_matches_the_model(self) -> None:
        assert self.agg.status == self.status

    @invariant()
    def verified_is_never_left(self) -> None:
        if self.verified:
            assert self.agg.status == "verified"

    @invariant()
    def evidence_and_judgements_are_as_taken(self) -> None:
        assert len(self.agg.evidence) == self.evidence
        assert [v.effective for v in self.agg.verifications] == self.judgements
        assert self.agg.version == len(self.events)

    @invariant()
    def completed_at_is_set_exactly_when_completed_or_verified(self) -> None:
        done = self.status in {"completed", "verified"}
        assert (self.agg.completed_at is not None) == done

    @invariant()
    def rebuilding_from_the_events_gives_the_same_aggregate(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, CorrectiveAction)
        assert rebuilt.__dict__ == self.agg.__dict__


CorrectiveActionLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=25, deadline=None
)
TestCorrectiveActionLifecycle = CorrectiveActionLifecycle.TestCase
