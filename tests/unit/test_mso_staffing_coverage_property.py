"""Properties: coverage against a brute-force model, and a shift's lifecycle under random moves."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.clinical_standing import ClinicianStanding, Eligibility
from services.mso_ops.domain.coverage import (
    APP_WITHOUT_SUPERVISOR,
    CLINICIAN_NOT_ELIGIBLE,
    NO_ELIGIBLE_CLINICIAN,
    SUPERVISOR_OVER_CAPACITY,
    Pairing,
    Rules,
    Standing,
    shortfalls,
)
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.staffing_errors import (
    ShiftCancelled,
    StaffAlreadyOnShift,
    StaffNotOnShift,
)

DAY = date(2027, 1, 11)
PHYSICIANS = [uuid.UUID(int=i) for i in range(1, 4)]
APPS = [uuid.UUID(int=i) for i in range(11, 15)]


def most_covered(
    apps: list[uuid.UUID], supervisors: dict[uuid.UUID, set[uuid.UUID]], cap: int
) -> int:
    """Try every way of giving each APP one of its supervisors (or none)."""
    best = 0
    choices = [[*sorted(supervisors[a], key=str), None] for a in apps]
    for pick in itertools.product(*choices):
        chosen = [p for p in pick if p is not None]
        if all(chosen.count(p) <= cap for p in set(chosen)):
            best = max(best, len(chosen))
    return best


@st.composite
def shifts_and_rules(draw: st.DrawFn) -> dict[str, Any]:
    physicians = draw(st.lists(st.sampled_from(PHYSICIANS), unique=True, max_size=3))
    apps = draw(st.lists(st.sampled_from(APPS), unique=True, max_size=4))
    standings: dict[uuid.UUID, Standing] = {}
    for c in physicians + apps:
        known = draw(st.integers(0, 9)) > 0
        if known:
            role = draw(st.sampled_from(["np", "pa"])) if c in APPS else "physician"
            standings[c] = Standing(role, draw(st.integers(0, 4)) > 0)  # mostly eligible
    pairings = []
    for app, physician in itertools.product(APPS, PHYSICIANS):
        if draw(st.booleans()):
            start = DAY + timedelta(days=draw(st.integers(-4, 1)))  # mostly in force on DAY
            end = draw(st.none() | st.just(DAY + timedelta(days=draw(st.integers(-1, 4)))))
            pairings.append(Pairing(app, physician, start, end))
    rules = draw(st.none() | st.just(Rules(draw(st.integers(1, 2)), tuple(pairings))))
    return {"clinicians": physicians + apps, "standings": standings, "rules": rules}


@settings(max_examples=500, deadline=None)
@given(case=shifts_and_rules())
def test_coverage_matches_a_brute_force_reading_of_the_rules(case: dict[str, Any]) -> None:
    clinicians, standings, rules = case["clinicians"], case["standings"], case["rules"]
    found = shortfalls(day=DAY, clinicians=clinicians, standings=standings, rules=rules)
    by_reason = {
        r: [s.clinician_id for s in found if s.reason == r]
        for r in (
            NO_ELIGIBLE_CLINICIAN,
            CLINICIAN_NOT_ELIGIBLE,
            APP_WITHOUT_SUPERVISOR,
            SUPERVISOR_OVER_CAPACITY,
        )
    }
    eligible = [c for c in clinicians if c in standings and standings[c].eligible]
    assert (by_reason[NO_ELIGIBLE_CLINICIAN] == [None]) == (not eligible)
    assert len(by_reason[NO_ELIGIBLE_CLINICIAN]) <= 1
    assert set(by_reason[CLINICIAN_NOT_ELIGIBLE]) == set(clinicians) - set(eligible)
    apps = [c for c in eligible if c in APPS]
    doctors = {c for c in eligible if c in PHYSICIANS}
    if rules is None:
        assert by_reason[APP_WITHOUT_SUPERVISOR] == apps
        assert by_reason[SUPERVISOR_OVER_CAPACITY] == []
        return
    supervisors = {
        a: {p.physician_id for p in rules.pairings if p.app_id == a and p.covers(DAY)} & doctors
        for a in apps
    }
    assert set(by_reason[APP_WITHOUT_SUPERVISOR]) == {a for a in apps if not supervisors[a]}
    coverable = [a for a in apps if supervisors[a]]
    best = most_covered(coverable, supervisors, rules.max_apps_per_physician)
    assert len(by_reason[SUPERVISOR_OVER_CAPACITY]) == len(coverable) - best
    assert set(by_reason[SUPERVISOR_OVER_CAPACITY]) <= set(coverable)
    assert len(found) == len({(s.reason, s.clinician_id) for s in found}), "no reason twice"


def meta() -> Meta:
    return Meta("ann", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def people() -> list[StaffMember]:
    members = []
    for role in ("physician", "np", "pa"):
        eligibility = Eligibility(
            name=role,
            role=role,
            eligible=True,
            reason="credential_verified",
            effective_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        standing = ClinicianStanding.first_heard(
            clinician_id=uuid.uuid4(), eligibility=eligibility, meta=meta()
        )
        members.append(StaffMember.clinician(standing=standing, home_site_id=None, meta=meta()))
    for i in range(2):
        members.append(
            StaffMember.employee(
                staff_id=uuid.uuid4(),
                name=f"Clerk {i}",
                job_title="Clerk",
                home_site_id=None,
                meta=meta(),
            )
        )
    return members


class ShiftLifecycle(RuleBasedStateMachine):
    @initialize(coverage=st.booleans())
    def schedule(self, coverage: bool) -> None:
        start = datetime(2027, 1, 11, 8, tzinfo=UTC)
        self.agg = Shift.schedule(
            shift_id=uuid.uuid4(),
            site_id=uuid.uuid4(),
            start=start,
            end=start + timedelta(hours=8),
            needs_clinical_coverage=coverage,
            label=None,
            meta=meta(),
        )
        self.events: list[Any] = list(self.agg.collect_events())
        self.people = people()
        self.on_shift: list[uuid.UUID] = []
        self.cancelled = False

    def attempt(self, act: Callable[[], None], refusal: type[DomainError] | None) -> None:
        version, before = self.agg.version, (dict(self.agg.staff), self.agg.status)
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert (dict(self.agg.staff), self.agg.status) == before
            assert list(self.agg.collect_events()) == []
            return
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new = list(self.agg.collect_events())
        assert len(new) == 1
        assert self.agg.version == version + 1
        self.events.extend(new)

    @rule(index=st.integers(0, 4))
    def assign(self, index: int) -> None:
        member = self.people[index]
        refusal: type[DomainError] | None = None
        if self.cancelled:
            refusal = ShiftCancelled
        elif member.id in self.on_shift:
            refusal = StaffAlreadyOnShift
        self.attempt(lambda: self.agg.assign(member, meta()), refusal)
        if refusal is None:
            self.on_shift.append(member.id)

    @rule(index=st.integers(0, 4))
    def release(self, index: int) -> None:
        member = self.people[index]
        refusal: type[DomainError] | None = None
        if self.cancelled:
            refusal = ShiftCancelled
        elif member.id not in self.on_shift:
            refusal = StaffNotOnShift
        self.attempt(lambda: self.agg.release(member.id, "swap", meta()), refusal)
        if refusal is None:
            self.on_shift.remove(member.id)

    @rule()
    def cancel(self) -> None:
        refusal = ShiftCancelled if self.cancelled else None
        self.attempt(lambda: self.agg.cancel("closed", meta()), refusal)
        self.cancelled = True

    @invariant()
    def the_shift_matches_the_model(self) -> None:
        assert list(self.agg.staff) == self.on_shift
        assert self.agg.status == ("cancelled" if self.cancelled else "scheduled")
        clinical = {m.id: m.clinician_id for m in self.people if m.clinician_id is not None}
        assert self.agg.clinicians == [clinical[s] for s in self.on_shift if s in clinical]

    @invariant()
    def rebuilding_from_the_events_gives_the_same_shift(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Shift)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert (rebuilt.staff, rebuilt.status, rebuilt.day) == (
            self.agg.staff,
            self.agg.status,
            self.agg.day,
        )


ShiftLifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
TestShiftLifecycle = ShiftLifecycle.TestCase
