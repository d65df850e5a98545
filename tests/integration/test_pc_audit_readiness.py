"""GET /audit-readiness on a fixed data set, on each backend, with hand-computed figures.

Records are made today (T); the KPI is read as of T and as of T + 30, so that one set of
records holds both current and lapsed items:
- protocols: review due T+10 (overdue at T+30) and T+60;
- meetings: adjourned T-40 and T-2, minutes approved at T (due T-10: late; due T+28);
- credentials (verified): expiring T+400 and T+20 (expired at T+30);
- corrective actions: due T-5 closed at T (late), due T+10 closed at T, due T+20 open
  (overdue at T+30);
- the chain: not verifying before the sealer ran, verifying after;
- the governance calendar: every month whose last day has come, from T-40's month,
  without a meeting held for it (those of T-40 and T-2 are held).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from mhg.audit.sealing import seal_pending
from tests.conftest import auth
from tests.integration.conftest import ADMIN
from tests.integration.meeting_helpers import (
    post,
    schedule,
)
from tests.integration.pc_open_items import (
    AUDITOR,
    PHYSICIAN,
    QUALITY,
    clinician,
    day,
    ok,
    open_action,
    progress,
    protocol,
    today,
)
from tests.integration.services import (
    Pair,
)

APP = auth("app", "np-ray")


def held(pair: Pair, days_ago: int) -> str:
    """A meeting adjourned `days_ago` days before today, its minutes approved today."""
    moment = datetime.combine(today() - timedelta(days=days_ago), time(18), tzinfo=UTC)
    meeting_id = str(schedule(pair.pc, f"{moment:%Y-%m}")["id"])
    post(pair.pc, f"/meetings/{meeting_id}/open", {"at": moment.isoformat()})
    post(
        pair.pc,
        f"/meetings/{meeting_id}/adjourn",
        {"at": (moment + timedelta(hours=1)).isoformat()},
    )
    minutes = {"text": "Quorum present; nothing decided."}
    ok(pair.pc.put(f"/meetings/{meeting_id}/minutes", json=minutes, headers=PHYSICIAN))
    post(pair.pc, f"/meetings/{meeting_id}/minutes/approve", {"revision": 1})
    return meeting_id


def closed(pair: Pair, due_in: int, title: str) -> str:
    action_id = open_action(pair, due_in, title)
    progress(pair, action_id, "in_progress")
    progress(pair, action_id, "completed")
    return action_id


def records(pair: Pair) -> dict[str, str]:
    ids = {
        "overdue_protocol": protocol(pair, "Sports clearance", 10),
        "protocol": protocol(pair, "School physical", 60),
        "late_minutes": held(pair, 40),
        "minutes": held(pair, 2),
        "late_action": closed(pair, -5, "Re-train on forms"),
        "action": closed(pair, 10, "Fix the intake checklist"),
        "open_action": open_action(pair, 20, "Audit the courier log"),
    }
    _, credentials = clinician(pair, "1000000009", "Dr. Ada Ng", {"license": 400, "dea": 20})
    ids["credential"], ids["expiring_credential"] = credentials["license"], credentials["dea"]
    pair.sync()
    return ids


def calendar(as_of: int) -> tuple[int, int, dict[str, str]]:
    """The months whose last day came by T+as_of, since T-40's month: (required, held, the missed ones)."""
    held = {f"{today() - timedelta(days=ago):%Y-%m}" for ago in (40, 2)}
    month, end, months = (today() - timedelta(days=40)).replace(day=1), today(), []
    end = (end + timedelta(days=as_of + 1)).replace(day=1)  # a month counts on its last day
    while month < end:
        months.append(f"{month:%Y-%m}")
        month = (month + timedelta(days=32)).replace(day=1)
    missed = {m: "no_meeting_held" for m in months if m not in held}
    return len(months), len(months) - len(missed), missed


def without_meetings(body: dict[str, Any], as_of: int) -> dict[str, Any]:
    """The figures without the meeting calendar's category, after checking it."""
    required, current, missed = calendar(as_of)
    row = table(body)["meetings"]
    assert row[:2] == (required, current)
    assert {i["id"]: i["reason"] for i in body["not_current"] if i["category"] == "meetings"} == (
        missed
    )
    return {
        **body,
        "categories": [c for c in body["categories"] if c["category"] != "meetings"],
        "not_current": [i for i in body["not_current"] if i["category"] != "meetings"],
        "required": body["required"] - required,
        "current": body["current"] - current,
        "share": (body["current"] - current) / (body["required"] - required),
    }


def readiness(pair: Pair, who: dict[str, str] = AUDITOR, **query: str) -> dict[str, Any]:
    return dict(ok(pair.pc.get("/audit-readiness", params=query, headers=who)))


def table(body: dict[str, Any]) -> dict[str, tuple[int, int, float]]:
    return {c["category"]: (c["required"], c["current"], c["share"]) for c in body["categories"]}


def listed(body: dict[str, Any]) -> dict[str, str]:
    return {item["id"]: item["reason"] for item in body["not_current"]}


def test_as_of_a_month_ahead_half_the_items_have_lapsed(pair: Pair) -> None:
    ids = records(pair)
    seal_pending(pair.pc_runtime.ledger)
    body = without_meetings(readiness(pair, as_of=day(30)), 30)
    assert table(body) == {
        "protocols": (2, 1, 0.5),
        "minutes": (2, 1, 0.5),
        "credentials": (2, 1, 0.5),
        "corrective_actions": (3, 1, 1 / 3),
        "audit_chain": (1, 1, 1.0),
    }
    assert (body["as_of"], body["required"], body["current"], body["share"]) == (
        day(30),
        10,
        5,
        0.5,
    )
    assert listed(body) == {
        ids["overdue_protocol"]: "review_overdue",
        ids["late_minutes"]: "minutes_not_approved_on_time",
        ids["expiring_credential"]: "credential_expired",
        ids["late_action"]: "action_closed_late",
        ids["open_action"]: "action_overdue",
    }
    items = {item["id"]: item for item in body["not_current"]}
    assert items[ids["overdue_protocol"]]["title"] == "Sports clearance"
    assert items[ids["overdue_protocol"]]["due_on"] == day(10)
    assert (items[ids["late_minutes"]]["due_on"], items[ids["late_minutes"]]["done_on"]) == (
        day(-10),
        day(0),
    )
    assert items[ids["expiring_credential"]]["title"] == "Dr. Ada Ng: dea"
    assert (items[ids["late_action"]]["due_on"], items[ids["late_action"]]["done_on"]) == (
        day(-5),
        day(0),
    )
    assert items[ids["open_action"]]["done_on"] is None


def test_today_only_the_late_minutes_and_the_late_action_count_against(pair: Pair) -> None:
    ids = records(pair)
    seal_pending(pair.pc_runtime.ledger)
    body = without_meetings(readiness(pair, PHYSICIAN), 0)  # as_of defaults to today
    assert body["as_of"] == day(0)
    assert table(body)["corrective_actions"] == (3, 2, 2 / 3)
    assert (body["required"], body["current"], body["share"]) == (10, 8, 0.8)
    assert listed(body) == {
        ids["late_minutes"]: "minutes_not_approved_on_time",
        ids["late_action"]: "action_closed_late",
    }
    assert body["chain"]["verifying"] is True
    assert body["chain"]["sealed_position"] == body["chain"]["log_head"]
    # a day before the records: nothing held or opened yet, only protocols and credentials
    before = readiness(pair, QUALITY, as_of=day(-41))
    assert table(before)["minutes"] == (0, 0, 1.0)
    assert table(before)["corrective_actions"] == (0, 0, 1.0)


def test_the_chain_is_not_verifying_until_it_is_sealed(pair: Pair) -> None:
    records(pair)
    body = readiness(pair, APP)
    assert body["chain"]["verifying"] is False
    assert body["chain"]["sealed_position"] is None
    assert listed(body)["audit-chain"] == "chain_not_verified"
    seal_pending(pair.pc_runtime.ledger)
    assert readiness(pair, APP)["chain"]["verifying"] is True


def test_the_figures_are_the_same_after_rebuilding_the_read_models(pair: Pair) -> None:
    records(pair)
    seal_pending(pair.pc_runtime.ledger)
    live = readiness(pair, as_of=day(30))
    pair.pc_runtime.projections.rebuild()
    rebuilt = readiness(pair, as_of=day(30))
    assert {k: v for k, v in rebuilt.items() if k != "chain"} == {
        k: v for k, v in live.items() if k != "chain"
    }


def test_mso_roles_are_refused_and_a_bad_day_is_named(pair: Pair) -> None:
    assert pair.pc.get("/audit-readiness", headers=ADMIN).status_code == 403
    response = pair.pc.get("/audit-readiness", params={"as_of": "2026-13-01"}, headers=AUDITOR)
    assert response.status_code == 422, response.text
    assert "as_of" in response.text
    empty = readiness(pair)
    assert (empty["required"], empty["share"]) == (1, 1.0)  # only the empty chain
    assert empty["not_current"] == []
