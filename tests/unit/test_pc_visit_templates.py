"""The visit-template aggregate: its terms' rules and its lifecycle, at random against a
model written independently of it."""

from __future__ import annotations

import copy
import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.pc_governance.domain.errors import DecisionBasisRequired
from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.domain.visit_template_errors import (
    InvalidVisitTemplateTransition,
    InvalidVisitTerms,
    UnworkableVisitTemplateDate,
    VisitTemplateVersionNotFound,
)
from services.pc_governance.domain.visit_terms import VisitTerms

START = date(2030, 1, 1)
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
numbers = st.integers(min_value=0, max_value=6)


def meta() -> Meta:
    return Meta("dr-md", "medical_director", "pc", uuid.uuid4().hex, "corr", "cause")


def terms(**overrides: Any) -> VisitTerms:
    values: dict[str, Any] = {
        "name": "Sports clearance",
        "service_line": "sports_clearance",
        "site_ids": None,
        "clinician_roles": ["physician", "np"],
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 3,
        "max_clinician_hours_per_day": 8,
        **overrides,
    }
    return VisitTerms.checked(**values)


@given(
    minutes=st.integers(min_value=5, max_value=480),
    patients=st.integers(min_value=1, max_value=60),
)
def test_the_volume_must_fit_the_visit(minutes: int, patients: int) -> None:
    fits = patients * minutes <= 60 or patients == 1
    if fits:
        checked = terms(visit_minutes=minutes, max_patients_per_clinician_hour=patients)
        assert checked.max_patients_per_clinician_hour * min(checked.visit_minutes, 60) <= 60
    else:
        with pytest.raises(InvalidVisitTerms) as refused:
            terms(visit_minutes=minutes, max_patients_per_clinician_hour=patients)
        assert refused.value.extensions == {"field": "max_patients_per_clinician_hour"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", " "),
        ("service_line", "dentistry"),
        ("site_ids", []),
        ("clinician_roles", []),
        ("clinician_roles", ["physician", "mso_admin"]),
        ("visit_minutes", 4),
        ("visit_minutes", 481),
        ("max_patients_per_clinician_hour", 0),
        ("max_patients_per_clinician_hour", 61),
        ("max_clinician_hours_per_day", 0),
        ("max_clinician_hours_per_day", 25),
    ],
)
def test_terms_out_of_range_name_their_field(field: str, value: Any) -> None:
    with pytest.raises(InvalidVisitTerms) as refused:
        terms(**{field: value})
    assert refused.value.extensions == {"field": field}


def test_terms_are_trimmed_and_deduplicated() -> None:
    site = uuid.uuid4()
    checked = terms(name="  Camp  ", site_ids=[site, site], clinician_roles=["np", "np", "pa"])
    assert (checked.name, checked.site_ids, checked.clinician_roles) == (
        "Camp",
        [site],
        ["np", "pa"],
    )


def test_retiring_before_a_scheduled_version_starts_means_it_never_does() -> None:
    template = VisitTemplate.draft(id=uuid.uuid4(), terms=terms(), meta=meta())
    template.approve(1, effective_from=START, basis=MD_ACT, today=START, meta=meta())
    template.add_draft(terms=terms(max_clinician_hours_per_day=6), meta=meta())
    template.approve(
        2, effective_from=START + timedelta(days=30), basis=MD_ACT, today=START, meta=meta()
    )
    template.retire(
        ended_on=START + timedelta(days=10),
        reason="closing",
        basis=MD_ACT,
        today=START,
        meta=meta(),
    )
    assert template.in_effect_on(START + timedelta(days=9)) is template.versions[0]
    assert template.in_effect_on(START + timedelta(days=10)) is None
    assert template.in_effect_on(START + timedelta(days=40)) is None
    assert [v.ended_on for v in template.versions] == [
        START + timedelta(days=10),
        START + timedelta(days=30),
    ]


@dataclass
class Model:
    """One version as the rules describe it."""

    status: str
    terms: VisitTerms
    revision: int = 1
    effective_from: date | None = None
    ended_on: date | None = None


class VisitTemplateLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.agg = VisitTemplate.draft(id=uuid.uuid4(), terms=terms(), meta=meta())
        self.events: list[Any] = list(self.agg.collect_events())
        self.model = [Model("draft", terms())]
        self.retired_on: date | None = None
        self.decisions: list[uuid.UUID] = []
        self.today = START

    def standing(self) -> Model | None:
        return next((v for v in reversed(self.model) if v.status == "approved"), None)

    def lookup(self, number: int) -> Model | None:
        return self.model[number - 1] if 1 <= number <= len(self.model) else None

    def attempt(self, expected: type[DomainError] | None, act: Any) -> bool:
        """Run `act`; a refused move must be the expected refusal and change nothing."""
        before = copy.deepcopy(self.agg.versions)
        version = self.agg.version
        refusal: DomainError | None = None
        result = None
        try:
            result = act()
        except DomainError as error:
            refusal = error
        if refusal is not None:
            assert expected is not None, f"refused: {refusal.detail}"
            assert isinstance(refusal, expected), (type(refusal), expected)
            assert (self.agg.versions, self.agg.version) == (before, version)
            assert list(self.agg.collect_events()) == []
            return False
        assert expected is None, f"accepted, but expected {expected.__name__}"
        new = list(self.agg.collect_events())
        assert len(new) == 1
        self.events.extend(new)
        if isinstance(result, uuid.UUID):
            self.decisions.append(result)
        return True

    @rule(days=st.integers(min_value=0, max_value=200))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(hours=st.integers(min_value=1, max_value=24))
    def start_draft(self, hours: int) -> None:
        new = terms(max_clinician_hours_per_day=hours)
        refused = None
        if self.retired_on is not None or self.model[-1].status == "draft":
            refused = InvalidVisitTemplateTransition
        if self.attempt(refused, lambda: self.agg.add_draft(terms=new, meta=meta())):
            self.model.append(Model("draft", new))

    @rule(number=numbers, minutes=st.sampled_from([10, 15, 20, 30, 60, 120]))
    def revise(self, number: int, minutes: int) -> None:
        new = terms(visit_minutes=minutes, max_patients_per_clinician_hour=1)
        v = self.lookup(number)
        refused: type[DomainError] | None = None
        if v is None:
            refused = VisitTemplateVersionNotFound
        elif self.retired_on is not None or v.status != "draft":
            refused = InvalidVisitTemplateTransition
        if self.attempt(refused, lambda: self.agg.revise_draft(number, terms=new, meta=meta())):
            assert v is not None
            v.terms, v.revision = new, v.revision + 1

    @rule(number=numbers, offset=st.integers(min_value=-5, max_value=120), basis=st.booleans())
    def approve(self, number: int, offset: int, basis: bool) -> None:
        v = self.lookup(number)
        starts = self.today + timedelta(days=offset)
        standing = self.standing()
        refused: type[DomainError] | None = None
        if v is None:
            refused = VisitTemplateVersionNotFound
        elif self.retired_on is not None or v.status != "draft":
            refused = InvalidVisitTemplateTransition
        elif not basis:
            refused = DecisionBasisRequired
        elif starts < self.today or (
            standing is not None and starts <= (standing.effective_from or starts)
        ):
            refused = UnworkableVisitTemplateDate

        def act() -> uuid.UUID:
            return self.agg.approve(
                number,
                effective_from=starts,
                basis=MD_ACT if basis else {"kind": "hunch", "reference": "x"},
                today=self.today,
                meta=meta(),
            )

        if self.attempt(refused, act):
            assert v is not None
            v.status, v.effective_from = "approved", starts
            if standing is not None:
                standing.status, standing.ended_on = "superseded", starts

    @rule(offset=st.integers(min_value=0, max_value=90))
    def approve_the_latest(self, offset: int) -> None:
        """Aim at the moves that succeed, so replacements happen often."""
        self.approve(len(self.model), offset, True)

    @rule(offset=st.integers(min_value=-3, max_value=120))
    def retire(self, offset: int) -> None:
        ends = self.today + timedelta(days=offset)
        refused: type[DomainError] | None = None
        if self.retired_on is not None or self.standing() is None:
            refused = InvalidVisitTemplateTransition
        elif ends < self.today:
            refused = UnworkableVisitTemplateDate

        def act() -> uuid.UUID:
            return self.agg.retire(
                ended_on=ends, reason="closing", basis=MD_ACT, today=self.today, meta=meta()
            )

        if self.attempt(refused, act):
            standing = self.standing()
            assert standing is not None
            standing.status = "retired"
            for v in self.model:
                if v.effective_from is not None:
                    v.ended_on = max(v.effective_from, min(v.ended_on or ends, ends))
            self.retired_on = ends

    @invariant()
    def versions_match_the_model(self) -> None:
        got = [
            Model(v.status, v.terms, v.revision, v.effective_from, v.ended_on)
            for v in self.agg.versions
        ]
        assert got == self.model
        assert self.agg.status == (
            "retired" if self.retired_on else "approved" if self.standing() else "draft"
        )

    @invariant()
    def at_most_one_version_in_force_and_none_after_retirement(self) -> None:
        periods = sorted(
            (v.effective_from, v.ended_on or date.max)
            for v in self.agg.versions
            if v.effective_from is not None and (v.ended_on or date.max) > v.effective_from
        )
        for (_, end), (start, _) in itertools.pairwise(periods):
            assert end <= start, periods
        if self.retired_on is not None:
            assert all(end <= self.retired_on for _, end in periods)
            assert self.agg.in_effect_on(self.retired_on) is None

    @invariant()
    def each_decision_has_its_own_id(self) -> None:
        assert len(set(self.decisions)) == len(self.decisions)

    @invariant()
    def rebuilding_from_the_events_gives_the_same_template(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, VisitTemplate)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert (rebuilt.versions, rebuilt.retirement) == (self.agg.versions, self.agg.retirement)


VisitTemplateLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None
)
TestVisitTemplateLifecycle = VisitTemplateLifecycle.TestCase
