"""The supervision structure: rules, capacity on every day, eligibility, publication."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.pc_governance.domain.clinician_errors import (
    AppNotEligible,
    InvalidAssignment,
    InvalidSupervisionRules,
    SupervisorAtCapacity,
    SupervisorNotEligible,
)
from services.pc_governance.domain.supervision import (
    Assignment,
    Party,
    SupervisionStructure,
    peak_load,
)

TODAY = date(2027, 1, 4)


def meta() -> Meta:
    return Meta("dr-lee", "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def party(role: str, eligible: bool = True) -> Party:
    return Party(uuid.uuid4(), role, eligible)


def structure(max_apps: int = 1) -> SupervisionStructure:
    return SupervisionStructure.establish(
        max_apps_per_physician=max_apps, chart_review_share_percent=10, today=TODAY, meta=meta()
    )


def test_establishing_publishes_the_rules_with_no_assignments() -> None:
    s = structure(3)
    events = list(s.collect_events())
    assert [type(e).__name__ for e in events] == ["Established", "Published"]
    assert events[1].assignments == []
    assert (events[1].max_apps_per_physician, events[1].chart_review_share_percent) == (3, 10)
    for bad in (0, 21):
        with pytest.raises(InvalidSupervisionRules):
            structure(bad)
    with pytest.raises(InvalidSupervisionRules):
        s.set_rules(
            max_apps_per_physician=2, chart_review_share_percent=0, today=TODAY, meta=meta()
        )


def test_parties_must_be_eligible_and_in_their_roles() -> None:
    s = structure()
    s.collect_events()
    cases: list[tuple[type[DomainError], Party, Party]] = [
        (SupervisorNotEligible, party("np"), party("physician", eligible=False)),
        (AppNotEligible, party("pa", eligible=False), party("medical_director")),
        (InvalidAssignment, party("physician"), party("physician")),
        (InvalidAssignment, party("np"), party("pa")),
    ]
    for error, app, physician in cases:
        with pytest.raises(error):
            s.assign(
                assignment_id=uuid.uuid4(),
                app=app,
                physician=physician,
                effective_from=TODAY,
                effective_to=None,
                today=TODAY,
                meta=meta(),
            )
    assert s.version == 2
    assert list(s.collect_events()) == []


def test_capacity_counts_assignments_day_by_day() -> None:
    s = structure(max_apps=1)
    physician = party("physician")
    s.assign(
        assignment_id=uuid.uuid4(),
        app=party("np"),
        physician=physician,
        effective_from=day(0),
        effective_to=day(9),
        today=TODAY,
        meta=meta(),
    )
    with pytest.raises(SupervisorAtCapacity):
        s.assign(
            assignment_id=uuid.uuid4(),
            app=party("pa"),
            physician=physician,
            effective_from=day(-5),
            effective_to=day(0),
            today=TODAY,
            meta=meta(),
        )
    s.assign(
        assignment_id=uuid.uuid4(),
        app=party("pa"),
        physician=physician,
        effective_from=day(10),
        effective_to=None,
        today=TODAY,
        meta=meta(),
    )
    published = [e for e in s.collect_events() if type(e).__name__ == "Published"]
    assert [len(e.assignments) for e in published] == [0, 1, 2]


@given(
    spans=st.lists(
        st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 15))), max_size=6
    ),
    start=st.integers(0, 30),
    length=st.one_of(st.none(), st.integers(0, 15)),
)
def test_peak_load_is_the_most_assignments_on_any_one_day(
    spans: list[tuple[int, int | None]], start: int, length: int | None
) -> None:
    assignments = [
        Assignment(
            uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), day(f), None if n is None else day(f + n)
        )
        for f, n in spans
    ]
    end = None if length is None else day(start + length)
    last = start + (length if length is not None else 60)
    brute = max(sum(1 for a in assignments if a.covers(day(d))) for d in range(start, last + 1))
    assert peak_load(assignments, day(start), end) == brute


# --- the structure as a state machine ------------------------------------------------

PHYSICIANS = [Party(uuid.UUID(int=100 + i), "physician", i != 2) for i in range(3)]
APPS = [Party(uuid.UUID(int=200 + i), ("np", "pa")[i % 2], i != 3) for i in range(4)]
HORIZON = 80


class StructureLifecycle(RuleBasedStateMachine):
    """A model of assignments as (app, physician, from, to, status), checked day by day."""

    @initialize(max_apps=st.integers(1, 3))
    def establish(self, max_apps: int) -> None:
        self.max_apps = max_apps
        self.agg = structure(max_apps)
        self.events: list[Any] = list(self.agg.collect_events())
        self.model: dict[uuid.UUID, dict[str, Any]] = {}

    def load(
        self, physician: uuid.UUID, d: int, extra: tuple[int, int | None] | None = None
    ) -> int:
        spans = [(a["from"], a["to"]) for a in self.model.values() if a["physician"] == physician]
        spans += [extra] if extra else []
        return sum(1 for f, t in spans if f <= d and (t is None or d <= t))

    def attempt(self, act: Any, allowed: bool) -> bool:
        version = self.agg.version
        try:
            act()
        except DomainError:
            assert not allowed, "refused an allowed step"
            assert self.agg.version == version
            assert list(self.agg.collect_events()) == []
            return False
        assert allowed, "accepted a refused step"
        new = list(self.agg.collect_events())
        assert type(new[-1]).__name__ == "Published"
        self.events.extend(new)
        return True

    @rule(
        app=st.sampled_from(APPS + PHYSICIANS[:1]),
        physician=st.sampled_from(PHYSICIANS + APPS[:1]),
        start=st.integers(-10, 40),
        length=st.one_of(st.none(), st.integers(-1, 30)),
    )
    def assign(self, app: Party, physician: Party, start: int, length: int | None) -> None:
        end = None if length is None else start + length
        overlap = any(
            a["app"] == app.clinician_id
            and a["physician"] == physician.clinician_id
            and (end is None or a["from"] <= end)
            and (a["to"] is None or start <= a["to"])
            for a in self.model.values()
        )
        last = HORIZON if end is None else end
        over = any(
            self.load(physician.clinician_id, d, (start, end)) > self.max_apps
            for d in range(start, last + 1)
        )
        allowed = (
            app.role in ("np", "pa")
            and physician.role == "physician"
            and (end is None or end >= start)
            and app.eligible
            and physician.eligible
            and not overlap
            and not over
        )
        assignment_id = uuid.UUID(int=1000 + len(self.model))
        if self.attempt(
            lambda: self.agg.assign(
                assignment_id=assignment_id,
                app=app,
                physician=physician,
                effective_from=day(start),
                effective_to=None if end is None else day(end),
                today=TODAY,
                meta=meta(),
            ),
            allowed,
        ):
            self.model[assignment_id] = {
                "app": app.clinician_id,
                "physician": physician.clinician_id,
                "from": start,
                "to": end,
                "status": "active",
            }

    @precondition(lambda self: self.model)
    @rule(data=st.data(), last=st.integers(-15, 60))
    def end(self, data: st.DataObject, last: int) -> None:
        assignment_id = data.draw(st.sampled_from(list(self.model)))
        a = self.model[assignment_id]
        allowed = (
            a["status"] == "active" and last >= a["from"] and (a["to"] is None or last <= a["to"])
        )
        if self.attempt(
            lambda: self.agg.end(assignment_id, last_day=day(last), today=TODAY, meta=meta()),
            allowed,
        ):
            a.update(to=last, status="ended")

    @rule(max_apps=st.integers(0, 4))
    def set_rules(self, max_apps: int) -> None:
        exceeded = any(
            self.load(p.clinician_id, d) > max_apps
            for p in PHYSICIANS
            for d in range(0, HORIZON + 1)
        )
        allowed = max_apps >= 1 and not exceeded
        if self.attempt(
            lambda: self.agg.set_rules(
                max_apps_per_physician=max_apps,
                chart_review_share_percent=15,
                today=TODAY,
                meta=meta(),
            ),
            allowed,
        ):
            self.max_apps = max_apps

    @invariant()
    def assignments_match_the_model(self) -> None:
        got = {
            k: (a.app_id, a.physician_id, a.effective_from, a.effective_to, a.status)
            for k, a in self.agg.assignments.items()
        }
        assert got == {
            k: (
                a["app"],
                a["physician"],
                day(a["from"]),
                None if a["to"] is None else day(a["to"]),
                a["status"],
            )
            for k, a in self.model.items()
        }

    @invariant()
    def no_physician_is_over_capacity_from_today_on(self) -> None:
        for p in PHYSICIANS:
            assert all(self.load(p.clinician_id, d) <= self.max_apps for d in range(0, HORIZON))

    @invariant()
    def the_last_publication_is_the_standing_structure(self) -> None:
        last = [e for e in self.events if type(e).__name__ == "Published"][-1]
        assert last.max_apps_per_physician == self.agg.max_apps_per_physician == self.max_apps
        standing = {k for k, a in self.model.items() if a["to"] is None or a["to"] >= 0}
        assert {a["assignment_id"] for a in last.assignments} == standing

    @invariant()
    def rebuilding_from_the_events_gives_the_same_structure(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, SupervisionStructure)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert rebuilt.assignments == self.agg.assignments
        assert rebuilt.max_apps_per_physician == self.agg.max_apps_per_physician


StructureLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=25, deadline=None
)
TestStructureLifecycle = StructureLifecycle.TestCase
