"""Staff, shifts, the PC's standing as the MSO records it, and the coverage rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from contracts.v1.supervision import PublishedRules
from mhg.meta import Meta
from services.mso_ops.domain.clinical_standing import (
    ClinicianStanding,
    Eligibility,
    SupervisionRules,
)
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
from services.mso_ops.domain.shift import CANCELLED, Shift
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.staffing_errors import (
    InvalidShift,
    InvalidStaffMember,
    ShiftCancelled,
    StaffAlreadyOnShift,
    StaffNotOnShift,
)

PACIFIC = timezone(timedelta(hours=-8))
DAY = date(2027, 1, 11)
START = datetime(2027, 1, 11, 17, 0, tzinfo=PACIFIC)  # 01:00 UTC on the 12th


def meta(actor: str = "ann", role: str = "mso_admin") -> Meta:
    return Meta(actor, role, "mso", uuid.uuid4().hex, "corr", "cause")


def feed_meta() -> Meta:
    return Meta("dr-lee", "medical_director", "pc", "mso-ops:pc-governance:7", "corr", "msg")


def pending(aggregate: Aggregate) -> list[Any]:
    return list(aggregate.collect_events())


def standing(role: str = "physician", eligible: bool = True) -> ClinicianStanding:
    eligibility = Eligibility(
        name=f"Dr. {role}",
        role=role,
        eligible=eligible,
        reason="credential_verified" if eligible else "registered",
        effective_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return ClinicianStanding.first_heard(
        clinician_id=uuid.uuid4(), eligibility=eligibility, meta=feed_meta()
    )


def shift(**overrides: Any) -> Shift:
    values: dict[str, Any] = {
        "shift_id": uuid.uuid4(),
        "site_id": uuid.uuid4(),
        "start": START,
        "end": START + timedelta(hours=8),
        "needs_clinical_coverage": True,
        "label": "  Evening clinic ",
        "meta": meta(),
    }
    return Shift.schedule(**{**values, **overrides})


# -- the PC's facts, as recorded ------------------------------------------------


def test_a_clinicians_standing_follows_each_message_and_keeps_the_pc_id() -> None:
    np = standing("np", eligible=False)
    assert ClinicianStanding.create_id(np.clinician_id) == np.id != np.clinician_id
    np.record_change(
        eligibility=Eligibility(
            name="NP Bo",
            role="np",
            eligible=True,
            reason="credential_verified",
            effective_at=datetime(2026, 11, 2, tzinfo=UTC),
        ),
        meta=feed_meta(),
    )
    events = pending(np)
    assert [type(e).__name__ for e in events] == ["Recorded", "Changed"]
    assert events[1].clinician_id == np.clinician_id, "each change names the PC's clinician"
    assert (np.eligible, np.is_app, np.name, np.version) == (True, True, "NP Bo", 2)


def test_supervision_rules_are_replaced_whole_by_each_publication() -> None:
    pairing = {
        "assignment_id": uuid.uuid4(),
        "app_id": uuid.uuid4(),
        "physician_id": uuid.uuid4(),
        "effective_from": DAY,
        "effective_to": None,
    }
    rules = SupervisionRules.first_received(
        rules=PublishedRules(2, 20, [pairing], datetime(2026, 11, 1, tzinfo=UTC)),
        meta=feed_meta(),
    )
    assert rules.id == SupervisionRules.ID
    rules.replace(
        rules=PublishedRules(3, 10, [], datetime(2026, 11, 2, tzinfo=UTC)), meta=feed_meta()
    )
    assert (rules.max_apps_per_physician, rules.assignments) == (3, [])
    assert [type(e).__name__ for e in pending(rules)] == ["Received", "Replaced"]


# -- staff ------------------------------------------------------------------------


def test_a_clinical_staff_member_is_the_pcs_clinician_once_under_the_pcs_name_and_role() -> None:
    pa = standing("pa")
    member = StaffMember.clinician(standing=pa, home_site_id=None, meta=meta())
    assert member.id == StaffMember.clinical_id(pa.clinician_id)
    assert (member.kind, member.name, member.job_title, member.clinician_id) == (
        "clinical",
        "Dr. pa",
        "pa",
        pa.clinician_id,
    )
    assert member.is_clinical
    assert member.registered_by == "ann"


def test_a_non_clinical_employee_needs_a_name_and_a_title() -> None:
    member = StaffMember.employee(
        staff_id=uuid.uuid4(), name=" Sam ", job_title="Front desk", home_site_id=None, meta=meta()
    )
    assert (member.kind, member.name, member.clinician_id, member.is_clinical) == (
        "non_clinical",
        "Sam",
        None,
        False,
    )
    with pytest.raises(InvalidStaffMember):
        StaffMember.employee(
            staff_id=uuid.uuid4(), name="Sam", job_title=" ", home_site_id=None, meta=meta()
        )


# -- shifts -----------------------------------------------------------------------


def test_a_shift_keeps_its_local_day_and_refuses_impossible_times() -> None:
    evening = shift()
    assert evening.day == DAY, "the day is the one the scheduler meant, in their offset"
    assert evening.label == "Evening clinic"
    for bad in (
        {"start": START.replace(tzinfo=None)},
        {"end": START},
        {"end": START - timedelta(minutes=1)},
        {"end": START + timedelta(hours=24, minutes=1)},
    ):
        with pytest.raises(InvalidShift):
            shift(**bad)


def test_assignments_are_one_per_person_and_a_cancelled_shift_takes_no_changes() -> None:
    the_shift = shift()
    physician = StaffMember.clinician(standing=standing(), home_site_id=None, meta=meta())
    clerk = StaffMember.employee(
        staff_id=uuid.uuid4(), name="Sam", job_title="Clerk", home_site_id=None, meta=meta()
    )
    the_shift.assign(physician, meta())
    the_shift.assign(clerk, meta())
    assert the_shift.clinicians == [physician.clinician_id], "only clinicians cover"
    with pytest.raises(StaffAlreadyOnShift):
        the_shift.assign(clerk, meta())
    the_shift.release(clerk.id, "called in sick", meta())
    with pytest.raises(StaffNotOnShift):
        the_shift.release(clerk.id, "again", meta())
    the_shift.cancel("site closed for the holiday", meta())
    assert (the_shift.status, the_shift.cancellation_reason) == (
        CANCELLED,
        "site closed for the holiday",
    )
    version = the_shift.version
    refused: list[Callable[[], None]] = [
        lambda: the_shift.assign(clerk, meta()),
        lambda: the_shift.release(physician.id, "x", meta()),
        lambda: the_shift.cancel("twice", meta()),
    ]
    for act in refused:
        with pytest.raises(ShiftCancelled):
            act()
    assert the_shift.version == version
    names = [type(e).__name__ for e in pending(the_shift)]
    assert names == ["Scheduled", "StaffAssigned", "StaffAssigned", "StaffReleased", "Cancelled"]


# -- coverage ---------------------------------------------------------------------

P1, P2, A1, A2, A3 = (uuid.UUID(int=i) for i in range(1, 6))


def pair(
    app: uuid.UUID, physician: uuid.UUID, start: date = DAY, end: date | None = None
) -> Pairing:
    return Pairing(app, physician, start, end)


def reasons(
    clinicians: list[uuid.UUID],
    standings: dict[uuid.UUID, Standing],
    rules: Rules | None,
    day: date = DAY,
) -> list[tuple[str, uuid.UUID | None]]:
    found = shortfalls(day=day, clinicians=clinicians, standings=standings, rules=rules)
    return [(s.reason, s.clinician_id) for s in found]


DOC, NP, PA = Standing("physician", True), Standing("np", True), Standing("pa", True)
LAPSED_DOC = Standing("physician", False)


def test_an_eligible_physician_covers_a_shift_alone_and_nobody_is_a_gap() -> None:
    assert reasons([P1], {P1: DOC}, None) == []
    assert reasons([P1], {P1: Standing("medical_director", True)}, None) == []
    assert reasons([], {}, None) == [(NO_ELIGIBLE_CLINICIAN, None)]


def test_an_ineligible_or_unknown_clinician_is_named_and_does_not_cover() -> None:
    assert reasons([P1], {P1: LAPSED_DOC}, None) == [
        (NO_ELIGIBLE_CLINICIAN, None),
        (CLINICIAN_NOT_ELIGIBLE, P1),
    ]
    assert reasons([P1, P2], {P1: DOC}, None) == [(CLINICIAN_NOT_ELIGIBLE, P2)]


def test_an_app_needs_an_eligible_supervising_physician_on_the_shift_on_that_day() -> None:
    rules = Rules(2, (pair(A1, P1, DAY, DAY + timedelta(days=30)),))
    assert reasons([A1], {A1: NP}, rules) == [(APP_WITHOUT_SUPERVISOR, A1)]
    assert reasons([A1, P1], {A1: NP, P1: DOC}, rules) == []
    assert reasons([A1, P2], {A1: NP, P2: DOC}, rules) == [(APP_WITHOUT_SUPERVISOR, A1)]
    assert reasons([A1, P1], {A1: NP, P1: LAPSED_DOC}, rules) == [
        (CLINICIAN_NOT_ELIGIBLE, P1),
        (APP_WITHOUT_SUPERVISOR, A1),
    ]
    later = DAY + timedelta(days=31)
    assert reasons([A1, P1], {A1: NP, P1: DOC}, rules, later) == [(APP_WITHOUT_SUPERVISOR, A1)]
    before = DAY - timedelta(days=1)
    assert reasons([A1, P1], {A1: NP, P1: DOC}, rules, before) == [(APP_WITHOUT_SUPERVISOR, A1)]
    no_rules = shortfalls(day=DAY, clinicians=[A1, P1], standings={A1: NP, P1: DOC}, rules=None)
    assert [(s.reason, s.detail) for s in no_rules] == [
        (APP_WITHOUT_SUPERVISOR, "the PC has published no supervision rules")
    ]


def test_an_ineligible_app_is_named_once_and_not_also_as_unsupervised() -> None:
    rules = Rules(1, ())
    assert reasons([P1, A1], {P1: DOC, A1: Standing("np", False)}, rules) == [
        (CLINICIAN_NOT_ELIGIBLE, A1)
    ]


def test_a_physician_covers_no_more_apps_than_the_rules_allow() -> None:
    rules = Rules(2, (pair(A1, P1), pair(A2, P1), pair(A3, P1)))
    found = reasons([P1, A1, A2, A3], {P1: DOC, A1: NP, A2: PA, A3: NP}, rules)
    assert found == [(SUPERVISOR_OVER_CAPACITY, A3)]
    assert reasons([P1, A1, A2], {P1: DOC, A1: NP, A2: PA}, rules) == []


def test_apps_are_matched_to_cover_as_many_as_capacity_allows() -> None:
    # A1 may go to P1 or P2, A2 only to P1: a first-come match would strand A2.
    rules = Rules(1, (pair(A1, P1), pair(A1, P2), pair(A2, P1)))
    on_shift = [P1, P2, A1, A2]
    assert reasons(on_shift, {P1: DOC, P2: DOC, A1: NP, A2: PA}, rules) == []
    assert reasons([P1, A1, A2], {P1: DOC, A1: NP, A2: PA}, rules) == [
        (SUPERVISOR_OVER_CAPACITY, A2)
    ]
