"""A PC fact about a clinician judges the coverage of their future shifts at once.

The clinicians' standing and who supervises whom arrive by the PC's feed. A lapse of the
only supervising physician on a clinical shift, or the end of the assignment that lets
them supervise its NP, opens a gap with no staffing change at the MSO: its slots become
`unavailable` (`shift-not-covered`) and `shift.coverage-judged` reaches the PC's agenda
at once; a reinstatement closes it the same way. A fact delivered again judges nothing
anew.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from contracts.v1.clinician import ClinicianEligibilityChangedV1
from tests.integration.clinician_helpers import credentialed
from tests.integration.pc_open_items import schedule as schedule_meeting
from tests.integration.scheduling_helpers import (
    authorized_site,
    clock,
    create_schedule,
    pair,
    publish,
)
from tests.integration.services import Pair
from tests.integration.template_feed import deliver
from tests.integration.test_mso_staffing import (
    assign,
    end_supervision,
    on_staff,
    schedule,
    set_rules,
    supervise,
)
from tests.integration.test_supervision_agenda import coverage_messages, gap_items
from tests.integration.test_supervision_bookings import TUESDAY, TUESDAY_WINDOW, statuses

__all__ = ["clock", "pair"]  # fixtures


def covered_tuesday(pair: Pair, npi: str) -> tuple[str, str, str, str]:
    """A live site with Tuesday slots, and a Tuesday shift staffed by an NP and the one
    physician who supervises them: (shift id, physician, NP, assignment id)."""
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    doctor, _ = credentialed(pair, f"1{npi}")
    np_id, _ = credentialed(pair, f"2{npi}", "np")
    set_rules(pair)
    pairing = supervise(pair, np_id, doctor, start=date(2027, 1, 1))
    pair.sync()
    shift = schedule(pair, site_id, day=TUESDAY, hours=(8, 12))
    assign(pair, shift["id"], on_staff(pair, np_id))
    assign(pair, shift["id"], on_staff(pair, doctor))
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("free", None)}
    return shift["id"], doctor, np_id, pairing


def standing(doctor: str, eligible: bool) -> ClinicianEligibilityChangedV1:
    return ClinicianEligibilityChangedV1(
        clinician_id=doctor,
        name="Clinician 1000000931",
        role="physician",
        eligible=eligible,
        reason="credential_verified" if eligible else "credential_expired",
        effective_at=datetime(2026, 12, 20, 9, 0, tzinfo=UTC),
    )


def judged_of(pair: Pair, shift_id: str) -> list[list[tuple[str, Any]]]:
    return [
        [(s["reason"], s["clinician_id"]) for s in m["payload"]["shortfalls"]]
        for m in coverage_messages(pair)
        if m["payload"]["shift_id"] == shift_id
    ]


def test_a_lapse_of_the_only_supervisor_opens_a_gap_and_reinstatement_closes_it(
    pair: Pair,
) -> None:
    shift_id, doctor, np_id, _ = covered_tuesday(pair, "000000931")
    assert judged_of(pair, shift_id)[-1] == []

    lapse = deliver(pair, standing(doctor, eligible=False))  # no staffing change at the MSO
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("unavailable", "shift-not-covered")}
    assert judged_of(pair, shift_id)[-1] == [
        ("clinician_not_eligible", doctor),
        ("app_without_supervisor", np_id),
    ]
    meeting = schedule_meeting(pair, "2026-12", "2026-12-21T18:00:00Z")
    [item] = gap_items(pair, meeting)
    assert item["reference"] == shift_id

    head = pair.mso_runtime.application.head_position()
    deliver(pair, standing(doctor, eligible=False), again=lapse)  # the same envelope again
    assert pair.mso_runtime.application.head_position() == head, "nothing written"
    judgements = len(coverage_messages(pair))
    deliver(pair, standing(doctor, eligible=False))  # the same fact at a new position
    assert len(coverage_messages(pair)) == judgements, "no second judgement"

    deliver(pair, standing(doctor, eligible=True))
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("free", None)}
    assert judged_of(pair, shift_id)[-1] == []
    later = schedule_meeting(pair, "2027-01", "2027-01-04T18:00:00Z")
    assert gap_items(pair, later) == []


def test_an_ended_supervision_assignment_opens_the_gap_at_once(pair: Pair) -> None:
    shift_id, _, np_id, pairing = covered_tuesday(pair, "000000932")
    judgements = len(judged_of(pair, shift_id))

    end_supervision(pair, pairing, date(2027, 1, 4))  # the day before the shift
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("unavailable", "shift-not-covered")}
    assert judged_of(pair, shift_id)[judgements:] == [[("app_without_supervisor", np_id)]]

    set_rules(pair, max_apps=3)  # the limit changes: the shift is judged again, the same
    pair.sync()
    assert len(judged_of(pair, shift_id)) == judgements + 1
