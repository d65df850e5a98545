"""A state machine that drafts, approves, supersedes, retires and reviews protocol versions
at random, valid or not, over days that pass, against an independent model."""

from __future__ import annotations

import copy
import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.protocol_errors import (
    InvalidProtocolTransition,
    NoStandingVersion,
    UnworkableEffectiveDate,
    VersionNotFound,
)
from services.pc_governance.domain.protocol_version import one_year_after

START = date(2030, 1, 1)
bodies = st.text(min_size=1, max_size=20)
numbers = st.integers(min_value=0, max_value=6)


@dataclass
class Model:
    """One version as the domain describes it, written independently of the aggregate."""

    status: str
    body: str
    revision: int = 1
    effective_from: date | None = None
    ended_on: date | None = None
    review_due: date | None = None


def meta() -> Meta:
    return Meta("dr-md", "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


class ProtocolLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.agg = Protocol.draft(
            id=uuid.uuid4(),
            title="Sports clearance",
            protocol_type="protocol",
            service_lines=["sports_clearance"],
            site_ids=None,
            body="v1",
            meta=meta(),
        )
        self.events: list[Any] = list(self.agg.collect_events())
        self.model = [Model("draft", "v1")]
        self.today = START

    def standing(self) -> Model | None:
        return next((v for v in reversed(self.model) if v.status == "approved"), None)

    def attempt(self, expected: type[DomainError] | None, act: Any) -> bool:
        """Run `act`; refused moves must be the expected refusal and change nothing."""
        before = copy.deepcopy(self.agg.versions)
        version = self.agg.version
        refusal: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refusal = error
        if refusal is not None:
            assert expected is not None, f"refused: {refusal.detail}"
            assert isinstance(refusal, expected), (type(refusal), expected)
            assert self.agg.versions == before
            assert self.agg.version == version
            assert list(self.agg.collect_events()) == []
            return False
        assert expected is None, f"accepted, but expected {expected.__name__}"
        new = list(self.agg.collect_events())
        assert new
        assert self.agg.version == version + len(new)
        self.events.extend(new)
        return True

    def lookup(self, number: int) -> Model | None:
        return self.model[number - 1] if 1 <= number <= len(self.model) else None

    @rule(days=st.integers(min_value=0, max_value=200))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(body=bodies)
    def start_draft(self, body: str) -> None:
        refused = InvalidProtocolTransition if self.model[-1].status == "draft" else None
        if self.attempt(refused, lambda: self.agg.add_draft(body=body, meta=meta())):
            self.model.append(Model("draft", body))

    @rule(number=numbers, body=bodies)
    def revise(self, number: int, body: str) -> None:
        v = self.lookup(number)
        refused: type[DomainError] | None = None
        if v is None:
            refused = VersionNotFound
        elif v.status != "draft":
            refused = InvalidProtocolTransition
        if self.attempt(refused, lambda: self.agg.revise_draft(number, body=body, meta=meta())):
            assert v is not None
            v.body, v.revision = body, v.revision + 1

    @rule(
        number=numbers,
        offset=st.integers(min_value=-5, max_value=120),
        review_in=st.none() | st.integers(min_value=-5, max_value=800),
    )
    def approve(self, number: int, offset: int, review_in: int | None) -> None:
        v = self.lookup(number)
        starts = self.today + timedelta(days=offset)
        review = None if review_in is None else starts + timedelta(days=review_in)
        standing = self.standing()
        refused: type[DomainError] | None = None
        if v is None:
            refused = VersionNotFound
        elif v.status != "draft":
            refused = InvalidProtocolTransition
        elif (
            starts < self.today
            or (standing is not None and starts <= (standing.effective_from or starts))
            or (review is not None and review <= starts)
        ):
            refused = UnworkableEffectiveDate

        def act() -> None:
            self.agg.approve(
                number, effective_from=starts, review_due=review, today=self.today, meta=meta()
            )

        if self.attempt(refused, act):
            assert v is not None
            v.status, v.effective_from = "approved", starts
            v.review_due = review or one_year_after(starts)
            if standing is not None:
                standing.status, standing.ended_on = "superseded", starts

    @rule(offset=st.integers(min_value=0, max_value=90))
    def approve_the_latest(self, offset: int) -> None:
        """Aim at the moves that succeed, so approvals and supersessions happen often."""
        self.approve(len(self.model), offset, None)

    @rule()
    def retire_the_standing_version(self) -> None:
        standing = self.standing()
        if standing is not None:
            self.retire(self.model.index(standing) + 1)

    @rule(number=numbers)
    def retire(self, number: int) -> None:
        v = self.lookup(number)
        refused: type[DomainError] | None = None
        if v is None:
            refused = VersionNotFound
        elif v.status != "approved":
            refused = InvalidProtocolTransition
        act = lambda: self.agg.retire(number, reason="unsafe", today=self.today, meta=meta())  # noqa: E731
        if self.attempt(refused, act):
            assert v is not None
            assert v.effective_from is not None
            v.status, v.ended_on = "retired", max(self.today, v.effective_from)
            if v.ended_on == v.effective_from:  # never took effect: what it was to end stands
                for earlier in reversed(self.model[: number - 1]):
                    if earlier.status == "superseded" and earlier.ended_on == v.effective_from:
                        earlier.status, earlier.ended_on = "approved", None
                        break

    @rule(due_in=st.none() | st.integers(min_value=-3, max_value=800))
    def review(self, due_in: int | None) -> None:
        standing = self.standing()
        due = None if due_in is None else self.today + timedelta(days=due_in)
        refused: type[DomainError] | None = None
        if standing is None:
            refused = NoStandingVersion
        elif due is not None and due <= self.today:
            refused = UnworkableEffectiveDate

        def act() -> None:
            self.agg.record_review(notes="ok", next_review_due=due, today=self.today, meta=meta())

        if self.attempt(refused, act):
            assert standing is not None
            standing.review_due = due or one_year_after(self.today)

    @invariant()
    def versions_match_the_model(self) -> None:
        got = [
            Model(v.status, v.body, v.revision, v.effective_from, v.ended_on, v.review_due)
            for v in self.agg.versions
        ]
        assert got == self.model

    @invariant()
    def at_most_one_version_in_effect_on_any_day(self) -> None:
        periods = sorted(
            (v.effective_from, v.ended_on or date.max)
            for v in self.agg.versions
            if v.effective_from is not None and (v.ended_on or date.max) > v.effective_from
        )
        for (_, end), (start, _) in itertools.pairwise(periods):
            assert end <= start, periods
        days = {self.today, *(start for start, _ in periods)}
        for day in days:
            assert sum(v.in_effect_on(day) for v in self.agg.versions) <= 1

    @invariant()
    def at_most_one_draft_and_it_is_the_latest(self) -> None:
        drafts = [v.number for v in self.agg.versions if v.status == "draft"]
        assert drafts in ([], [len(self.agg.versions)])

    @invariant()
    def rebuilding_from_the_events_gives_the_same_protocol(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Protocol)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert rebuilt.versions == self.agg.versions
        assert rebuilt.subject == self.agg.subject


ProtocolLifecycle.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None
)
TestProtocolLifecycle = ProtocolLifecycle.TestCase
