"""Coverage gaps of clinical shifts reach the PC's governance agenda.

The MSO publishes each change of a clinical shift's coverage (`shift.coverage-judged`);
PC Governance keeps the latest per shift, and assembling a meeting's agenda from the
`coverage_gap` source lists each shift whose gap is still open. A gap closed by
staffing (or by cancelling the shift) leaves the next agenda.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.integration.clinician_helpers import SERVICE, credentialed
from tests.integration.conftest import ADMIN, pair
from tests.integration.pc_open_items import assemble, ok, schedule, today
from tests.integration.services import Pair
from tests.integration.test_mso_staffing import (
    assign,
    on_staff,
    set_rules,
    site,
    supervise,
)
from tests.integration.test_mso_staffing import schedule as schedule_shift

__all__ = ["pair"]  # fixtures


def coverage_messages(pair: Pair) -> list[dict[str, Any]]:
    feed = ok(pair.mso.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE))
    return [m for m in feed["messages"] if m["type"] == "shift.coverage-judged"]


def gap_items(pair: Pair, meeting_id: str) -> list[dict[str, Any]]:
    return [i for i in assemble(pair, meeting_id, ["coverage_gap"]) if i["kind"] == "coverage_gap"]


def test_an_open_coverage_gap_becomes_an_agenda_item_until_it_is_closed(pair: Pair) -> None:
    doctor, _ = credentialed(pair, "1000000911")
    np_id, _ = credentialed(pair, "2000000911", "np")
    set_rules(pair)
    supervise(pair, np_id, doctor, start=today())
    pair.sync()
    clinic = site(pair)
    np_staff, doctor_staff = on_staff(pair, np_id), on_staff(pair, doctor)
    soon = today() + timedelta(days=7)
    uncovered = schedule_shift(pair, clinic, day=soon)
    assign(pair, uncovered["id"], np_staff)
    cancelled = schedule_shift(pair, clinic, day=soon + timedelta(days=1))
    ok(
        pair.mso.post(
            f"/shifts/{cancelled['id']}/cancel", json={"reason": "event moved"}, headers=ADMIN
        )
    )
    front_desk = schedule_shift(pair, clinic, day=soon, needs_clinical_coverage=False)
    pair.sync()

    messages = coverage_messages(pair)
    judged = [
        (m["payload"]["shift_id"], [s["reason"] for s in m["payload"]["shortfalls"]])
        for m in messages
    ]
    assert judged == [
        (uncovered["id"], ["no_eligible_clinician"]),
        (uncovered["id"], ["app_without_supervisor"]),
        (cancelled["id"], ["no_eligible_clinician"]),
        (cancelled["id"], []),
    ]
    assert front_desk["id"] not in {shift for shift, _ in judged}
    assert messages[1]["payload"]["shortfalls"][0]["clinician_id"] == np_id

    meeting = schedule(pair, "2026-12", f"{soon.isoformat()}T18:00:00Z")
    [item] = gap_items(pair, meeting)
    assert item["reference"] == uncovered["id"]
    assert "app_without_supervisor" in item["title"]
    assert soon.isoformat() in item["title"]
    assert gap_items(pair, meeting) == [item], "assembled once"
    pair.pc_runtime.projections.rebuild()
    assert gap_items(pair, meeting) == [item], "the gaps rebuild from the PC's log"

    assign(pair, uncovered["id"], doctor_staff)  # the supervisor joins: the gap closes
    pair.sync()
    assert [s for s in coverage_messages(pair)[-1]["payload"]["shortfalls"]] == []
    later = schedule(pair, "2027-01", f"{soon.isoformat()}T20:00:00Z")
    assert gap_items(pair, later) == []
