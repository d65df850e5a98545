"""Corrective actions the PC assigns to the MSO, through both real feeds, on each backend."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts import Actor, Envelope
from contracts.v1.corrective_action import CorrectiveActionVerifiedV1
from mhg.eventstore import AlreadyApplied
from tests.conftest import auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.mso_performance_helpers import read_models
from tests.integration.services import Pair

QUALITY = auth("pc_quality", "qa-kim")
BILLING = auth("mso_billing", "bea")
AUDITOR = auth("auditor", "aud-1")
SERVICE = auth("service", "pc-governance")
SUBSCRIPTION = "pc-governance.feed.v1"
SOURCE = {"kind": "audit", "reference": "AUD-2026-11 consent forms"}


def later(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def assign(pair: Pair, due_on: str | None = None, title: str = "Re-train front desk") -> str:
    """The PC opens an MSO-owned action; it reaches MSO Operations through the PC's feed."""
    opened = pair.pc.post(
        "/corrective-actions",
        json={
            "title": title,
            "description": "Three consent forms were missing a signature",
            "owner": "mso",
            "assignee": "Site manager",
            "due_on": due_on or later(30),
            "source": SOURCE,
        },
        headers=DIRECTOR,
    )
    assert opened.status_code == 201, opened.text
    pair.sync()
    return str(opened.json()["id"])


def report(
    pair: Pair, action_id: str, status: str, headers: dict[str, str] = ADMIN, **extra: Any
) -> Any:
    return pair.mso.post(
        f"/corrective-actions/{action_id}/progress",
        json={"status": status, "evidence": f"MSO: {status}", **extra},
        headers=headers,
    )


def judge(pair: Pair, action_id: str, step: str) -> None:
    judged = pair.pc.post(
        f"/corrective-actions/{action_id}/{step}",
        json={"note": f"{step}: checked"},
        headers=QUALITY,
    )
    assert judged.status_code == 200, judged.text
    pair.sync()


def test_assigned_reported_verified_and_closed_across_both_services(pair: Pair) -> None:
    action_id = assign(pair)
    got = pair.mso.get(f"/corrective-actions/{action_id}", headers=AUDITOR)
    assert got.status_code == 200, got.text
    action = got.json()
    assert (action["status"], action["title"], action["assignee"]) == (
        "open",
        "Re-train front desk",
        "Site manager",
    )
    assert action["source"] == SOURCE
    assert got.headers["ETag"] == '"1"'

    early = report(pair, action_id, "completed")
    assert early.status_code == 409, "completed comes after in_progress"
    assert early.json()["type"] == "/problems/invalid-corrective-action-transition"
    started = report(pair, action_id, "in_progress", headers={**BILLING, "If-Match": '"1"'})
    assert started.status_code == 200, started.text
    assert started.headers["ETag"] == '"2"'
    done = report(pair, action_id, "completed", document_ref="TRAINING-LOG-7")
    assert done.json()["status"] == "completed"
    assert [(r["status"], r["reported_by"]) for r in done.json()["reports"]] == [
        ("in_progress", "bea"),
        ("completed", "ann"),
    ]
    feed = pair.mso.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    messages = [m for m in feed["messages"] if m["type"] == "corrective-action.progress-reported"]
    assert [m["payload"]["status"] for m in messages] == ["in_progress", "completed"]
    assert messages[1]["payload"]["document_ref"] == "TRAINING-LOG-7"
    assert messages[1]["actor"] == {"id": "ann", "role": "mso_admin", "org": "mso"}

    pair.sync()
    at_pc = pair.pc.get(f"/corrective-actions/{action_id}", headers=QUALITY).json()
    assert at_pc["status"] == "completed"
    assert [(e["text"], e["party"]) for e in at_pc["evidence"]] == [
        ("MSO: in_progress", "mso"),
        ("MSO: completed", "mso"),
    ]

    judge(pair, action_id, "reopen")
    reopened = pair.mso.get(f"/corrective-actions/{action_id}", headers=ADMIN).json()
    assert (reopened["status"], reopened["reopen_count"]) == ("in_progress", 1)
    assert reopened["verdicts"][0]["effective"] is False
    assert report(pair, action_id, "completed", evidence_note=None).status_code == 422
    assert report(pair, action_id, "completed").status_code == 200
    pair.sync()
    judge(pair, action_id, "verify")

    closed = pair.mso.get(f"/corrective-actions/{action_id}", headers=ADMIN).json()
    assert closed["status"] == "closed"
    assert [v["effective"] for v in closed["verdicts"]] == [False, True]
    assert closed["verdicts"][1]["note"] == "verify: checked"
    late = report(pair, action_id, "in_progress")
    assert late.status_code == 409
    assert (
        pair.pc.get(f"/corrective-actions/{action_id}", headers=QUALITY).json()["status"]
        == "verified"
    )


def envelope(position: int, payload: Any) -> Envelope:
    return Envelope(
        message_id=uuid.uuid4(),
        type=payload.TYPE,
        version=payload.VERSION,
        producer="pc-governance",
        position=position,
        occurred_at=datetime.now(UTC),
        correlation_id="corr-ca",
        causation_id="cmd-ca",
        actor=Actor(id="dr-lee", role="medical_director", org="pc"),
        payload=payload.model_dump(mode="json"),
    )


def test_each_message_applies_once_and_one_that_cannot_apply_is_skipped(pair: Pair) -> None:
    action_id = assign(pair)
    app = pair.mso_runtime.application
    policy = pair.mso_runtime.parts.inbound(app)
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    [assigned] = [
        Envelope.model_validate(m)
        for m in feed["messages"]
        if m["type"] == "corrective-action.assigned"
    ]
    with pytest.raises(AlreadyApplied):
        policy(assigned)
    head = app.head_position()
    consumed = app.consumed_position(SUBSCRIPTION)
    for offset, payload in enumerate(
        [
            CorrectiveActionVerifiedV1(
                action_id=uuid.uuid4(), note="unknown action", verified_at=datetime.now(UTC)
            ),
            assigned.typed_payload(),  # the same action assigned again, at a new position
        ],
        start=1,
    ):
        message = envelope(consumed + offset, payload)
        policy(message)
        assert app.consumed_position(SUBSCRIPTION) == consumed + offset
        with pytest.raises(AlreadyApplied):
            policy(message)
    assert app.head_position() == head, "skipped: only the feed position is recorded"
    assert app.corrective_actions.corrective_action(uuid.UUID(action_id)).version == 1


def test_lists_filter_page_and_rebuild(pair: Pair) -> None:
    overdue = assign(pair, due_on="2020-01-15", title="Overdue")
    done_late = assign(pair, due_on="2020-02-01", title="Done late")
    report(pair, done_late, "in_progress")
    report(pair, done_late, "completed")
    soon = assign(pair, due_on=later(10), title="Soon")
    far = assign(pair, due_on=later(60), title="Far")
    pair.sync()

    def listed(**params: str) -> list[str]:
        page = pair.mso.get("/corrective-actions", params=params, headers=AUDITOR)
        assert page.status_code == 200, page.text
        return [item["id"] for item in page.json()["items"]]

    assert listed() == [overdue, done_late, soon, far]
    assert listed(status="completed") == [done_late]
    assert listed(status="open") == [overdue, soon, far]
    assert listed(overdue="true") == [overdue]
    assert listed(overdue="false") == [done_late, soon, far]
    assert listed(due_before=later(30)) == [overdue, done_late, soon]
    assert listed(due_after="2020-01-31", due_before=later(30)) == [done_late, soon]
    row = pair.mso.get("/corrective-actions", headers=ADMIN).json()["items"][1]
    assert (row["report_count"], row["overdue"], row["source_kind"]) == (
        2,
        False,
        "audit",
    )
    first = pair.mso.get("/corrective-actions", params={"limit": 3}, headers=ADMIN).json()
    second = pair.mso.get(
        "/corrective-actions", params={"limit": 3, "cursor": first["next_cursor"]}, headers=ADMIN
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == listed()
    assert second["next_cursor"] is None
    assert (
        pair.mso.get(
            "/corrective-actions", params={"status": "verified"}, headers=ADMIN
        ).status_code
        == 422
    )

    before = read_models(pair, "mso_corrective_actions")
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, "mso_corrective_actions") == before


def test_roles_input_and_versions(pair: Pair) -> None:
    action_id = assign(pair)
    head = pair.mso_runtime.application.head_position()
    for headers in (AUDITOR, DIRECTOR, auth("vendor", "acme"), auth("service", "x")):
        assert report(pair, action_id, "in_progress", headers=headers).status_code == 403
    assert pair.mso.get("/corrective-actions", headers=DIRECTOR).status_code == 403
    assert report(pair, action_id, "in_progress", headers={}).status_code == 401
    for body, field in [
        ({"status": "done", "evidence": "x"}, "body.status"),
        ({"status": "in_progress", "evidence": "  "}, "body.evidence"),
        ({"status": "in_progress", "evidence": "x" * 2001}, "body.evidence"),
        (
            {"status": "in_progress", "evidence": "x", "document_ref": "d" * 201},
            "body.document_ref",
        ),
        ({"status": "in_progress"}, "body.evidence"),
    ]:
        refused = pair.mso.post(
            f"/corrective-actions/{action_id}/progress", json=body, headers=ADMIN
        )
        assert refused.status_code == 422, refused.text
        assert field in [e["field"] for e in refused.json()["errors"]]
    stale = report(pair, action_id, "in_progress", headers={**ADMIN, "If-Match": '"7"'})
    assert stale.status_code == 412
    missing = report(pair, str(uuid.uuid4()), "in_progress")
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/corrective-action-not-found"
    assert pair.mso.get(f"/corrective-actions/{uuid.uuid4()}", headers=ADMIN).status_code == 404
    assert pair.mso_runtime.application.head_position() == head, "nothing written when refused"
