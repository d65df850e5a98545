"""Corrective actions over HTTP and through the contract feeds, on each backend."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from contracts import Actor, Envelope
from contracts.v1.corrective_action import CorrectiveActionProgressReportedV1
from mhg.eventstore import AlreadyApplied
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import DIRECTOR
from tests.integration.meeting_helpers import meeting_basis
from tests.integration.services import Pair, service_pair

QUALITY = auth("pc_quality", "quality-ann")
PHYSICIAN = auth("physician", "dr-kim")
APP = auth("app", "np-jo")
AUDITOR = auth("auditor", "aud-1")
MSO = auth("mso_admin", "ann")
SERVICE = auth("service", "mso-ops")
AUDIT = {"kind": "audit", "reference": "AUD-2026-11 clearance charts"}
SUBSCRIPTION = "mso-ops.feed.v1"


def later(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def open_action(
    pair: Pair, owner: str = "pc", due_on: str | None = None, **extra: Any
) -> dict[str, Any]:
    body = {
        "title": "Re-train on clearance documentation",
        "description": "Cardiac history questions skipped on two charts",
        "owner": owner,
        "assignee": "Clinic lead",
        "due_on": due_on or later(30),
        "source": AUDIT,
    } | extra
    response = pair.pc.post("/corrective-actions", json=body, headers=DIRECTOR)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/corrective-actions/{response.json()['id']}"
    created: dict[str, Any] = response.json()
    return created


def refused_source(pair: Pair, source: dict[str, str]) -> dict[str, Any]:
    """Opening an action whose source names nothing recorded: 422 on source.reference."""
    refused = pair.pc.post(
        "/corrective-actions",
        json={
            "title": "t",
            "description": "d",
            "owner": "pc",
            "due_on": later(5),
            "source": source,
        },
        headers=QUALITY,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "source.reference"
    problem: dict[str, Any] = refused.json()
    return problem


def progress(pair: Pair, action_id: str, status: str, headers: dict[str, str] = PHYSICIAN) -> Any:
    return pair.pc.post(
        f"/corrective-actions/{action_id}/progress",
        json={"status": status, "evidence": {"text": f"now {status}", "document_ref": "DOC-9"}},
        headers=headers,
    )


def judge(pair: Pair, action_id: str, step: str, headers: dict[str, str] = DIRECTOR) -> Any:
    return pair.pc.post(
        f"/corrective-actions/{action_id}/{step}",
        json={"note": f"{step}: reviewed"},
        headers=headers,
    )


def pc_feed(pair: Pair) -> list[Envelope]:
    page = pair.pc.get("/contracts/v1/feed", params={"after": 0}, headers=SERVICE)
    assert page.status_code == 200
    return [Envelope.model_validate(m) for m in page.json()["messages"]]


def report_envelope(action_id: str, position: int, status: str) -> Envelope:
    payload = CorrectiveActionProgressReportedV1(
        action_id=uuid.UUID(action_id),
        status=status,  # type: ignore[arg-type]
        evidence=f"MSO: {status}",
        document_ref="MSO-DOC-1",
        reported_at=datetime.now(UTC),
    )
    return Envelope(
        message_id=uuid.uuid4(),
        type=payload.TYPE,
        version=payload.VERSION,
        producer="mso-ops",
        position=position,
        occurred_at=datetime.now(UTC),
        correlation_id="corr-ca",
        causation_id="cmd-ca",
        actor=Actor(id="ann", role="mso_admin", org="mso"),
        payload=payload.model_dump(mode="json"),
    )


def rows(pair: Pair) -> list[dict[str, Any]]:
    table = pair.pc_runtime.store.metadata.tables["pc_corrective_actions"]
    with pair.pc_runtime.store.reader.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.position))]


def test_a_pc_owned_action_runs_to_verification_and_stays_inside_the_pc(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        action = open_action(pair)
        assert (action["status"], action["assigned_at"], action["overdue"]) == ("open", None, False)
        assert progress(pair, action["id"], "in_progress").status_code == 200
        evidence = pair.pc.post(
            f"/corrective-actions/{action['id']}/evidence",
            json={"text": "attendance sheet"},
            headers=APP,
        )
        assert evidence.status_code == 200, evidence.text
        done = progress(pair, action["id"], "completed", headers=QUALITY)
        assert done.json()["status"] == "completed"
        reopened = judge(pair, action["id"], "reopen", headers=QUALITY)
        assert reopened.json()["status"] == "in_progress"
        assert progress(pair, action["id"], "completed").status_code == 200
        verified = judge(pair, action["id"], "verify")
        assert verified.status_code == 200, verified.text
        body = verified.json()
        assert body["status"] == "verified"
        assert [v["effective"] for v in body["verifications"]] == [False, True]
        assert body["verifications"][-1]["verified_by"] == "dr-lee"
        assert [e["text"] for e in body["evidence"]] == [
            "now in_progress",
            "attendance sheet",
            "now completed",
            "now completed",
        ]
        assert verified.headers["ETag"] == f'"{body["version"]}"'
        assert pc_feed(pair) == [], "a PC-owned action is never published to the MSO"

        again = judge(pair, action["id"], "verify")
        assert again.status_code == 409
        assert again.json()["type"] == "/problems/invalid-corrective-action-transition"
        late = pair.pc.post(
            f"/corrective-actions/{action['id']}/evidence", json={"text": "late"}, headers=APP
        )
        assert late.status_code == 409
        pair.sync()
        [row] = pair.pc.get("/corrective-actions", headers=AUDITOR).json()["items"]
        assert (row["status"], row["evidence_count"], row["reopen_count"]) == ("verified", 4, 1)


def test_an_action_opens_from_a_finding_it_names(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        sample = pair.pc.post(
            "/quality/reviews",
            json={
                "clinician_id": str(uuid.uuid4()),
                "period": "2026-11",
                "service_line": "school_physical",
                "chart_refs": ["EHR-1"],
            },
            headers=QUALITY,
        ).json()
        finding = pair.pc.post(
            f"/quality/reviews/{sample['id']}/findings",
            json={"chart_ref": "EHR-1", "severity": "major", "category": "clinical_judgment"},
            headers=PHYSICIAN,
        ).json()
        reference = f"{sample['id']}/{finding['id']}"
        action = open_action(pair, source={"kind": "finding", "reference": reference})
        assert action["source"] == {"kind": "finding", "reference": reference}
        crossed = [
            pair.pc.get(f"/corrective-actions/{sample['id']}", headers=QUALITY),
            pair.pc.get(f"/quality/reviews/{action['id']}", headers=QUALITY),
        ]
        assert [r.status_code for r in crossed] == [404, 404]
        policy = pair.pc_runtime.parts.inbound(pair.pc_runtime.application)
        policy(report_envelope(sample["id"], position=1, status="in_progress"))
        assert pair.pc_runtime.application.consumed_position(SUBSCRIPTION) == 1

        head = pair.pc_runtime.application.head_position()
        for bogus in (f"{sample['id']}/{uuid.uuid4()}", "EHR-1", f"{uuid.uuid4()}/{finding['id']}"):
            refused_source(pair, {"kind": "finding", "reference": bogus})
        assert pair.pc_runtime.application.head_position() == head


def test_an_action_a_meeting_ordered_names_its_carried_motion(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        head = pair.pc_runtime.application.head_position()
        for bogus in ("GM-2026-11 item 5", str(uuid.uuid4())):
            refused = refused_source(pair, {"kind": "meeting_decision", "reference": bogus})
            assert refused["type"] == "/problems/meeting-decision-not-found"
        assert pair.pc_runtime.application.head_position() == head

        ordered = meeting_basis(pair, "2026-11")
        action = open_action(pair, owner="mso", source=ordered)
        assert action["source"] == ordered
        [assigned] = [m for m in pc_feed(pair) if m.type == "corrective-action.assigned"]
        assert assigned.payload["source"] == ordered


def test_an_mso_owned_action_travels_to_the_mso_and_its_progress_comes_back(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        action = open_action(pair, owner="mso")
        assert action["assigned_at"] is not None
        refused = progress(pair, action["id"], "in_progress")
        assert refused.status_code == 409
        assert refused.json()["type"] == "/problems/progress-by-other-party"

        [assigned] = pc_feed(pair)
        assert (assigned.type, assigned.version, assigned.producer) == (
            "corrective-action.assigned",
            1,
            "pc-governance",
        )
        assert assigned.payload["action_id"] == action["id"]
        assert assigned.payload["title"] == action["title"]
        assert assigned.payload["due_on"] == action["due_on"]
        assert assigned.payload["assignee"] == "Clinic lead"
        assert assigned.payload["source"] == AUDIT
        assert assigned.actor.id == "dr-lee"

        policy = pair.pc_runtime.parts.inbound(pair.pc_runtime.application)
        started = report_envelope(action["id"], position=7, status="in_progress")
        policy(started)
        with pytest.raises(AlreadyApplied):
            policy(started)
        body = pair.pc.get(f"/corrective-actions/{action['id']}", headers=QUALITY).json()
        assert body["status"] == "in_progress"
        assert [(e["text"], e["party"], e["document_ref"]) for e in body["evidence"]] == [
            ("MSO: in_progress", "mso", "MSO-DOC-1")
        ]
        assert body["evidence"][0]["added_by"] == "ann"
        assert pair.pc_runtime.application.consumed_position(SUBSCRIPTION) == 7

        policy(report_envelope(action["id"], position=8, status="completed"))
        assert judge(pair, action["id"], "reopen").status_code == 200
        policy(report_envelope(action["id"], position=9, status="completed"))
        assert judge(pair, action["id"], "verify", headers=QUALITY).status_code == 200
        assert [m.type for m in pc_feed(pair)] == [
            "corrective-action.assigned",
            "corrective-action.reopened",
            "corrective-action.verified",
        ]
        final = pair.pc.get(f"/corrective-actions/{action['id']}", headers=QUALITY).json()
        assert final["status"] == "verified"
        assert len(final["evidence"]) == 3


def test_a_report_the_action_cannot_take_is_skipped_once(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc_owned = open_action(pair)
        mso_owned = open_action(pair, owner="mso")
        policy = pair.pc_runtime.parts.inbound(pair.pc_runtime.application)
        head = pair.pc_runtime.application.head_position()
        for position, (action_id, status) in enumerate(
            [
                (pc_owned["id"], "in_progress"),
                (mso_owned["id"], "completed"),
                (str(uuid.uuid4()), "in_progress"),
            ],
            start=3,
        ):
            envelope = report_envelope(action_id, position=position, status=status)
            policy(envelope)
            assert pair.pc_runtime.application.consumed_position(SUBSCRIPTION) == position
            with pytest.raises(AlreadyApplied):
                policy(envelope)
        assert pair.pc_runtime.application.head_position() == head
        for action in (pc_owned, mso_owned):
            got = pair.pc.get(f"/corrective-actions/{action['id']}", headers=QUALITY).json()
            assert (got["status"], got["evidence"]) == ("open", [])


def test_lists_filter_page_and_rebuild(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        overdue = open_action(pair, due_on="2020-01-15")
        late_done = open_action(pair, due_on="2020-02-01")
        progress(pair, late_done["id"], "in_progress")
        progress(pair, late_done["id"], "completed")
        mso = open_action(pair, owner="mso", due_on=later(10))
        future = open_action(pair, due_on=later(60))
        pair.sync()

        def listed(**params: str) -> list[str]:
            page = pair.pc.get("/corrective-actions", params=params, headers=QUALITY)
            assert page.status_code == 200, page.text
            return [item["id"] for item in page.json()["items"]]

        assert listed() == [overdue["id"], late_done["id"], mso["id"], future["id"]]
        assert listed(owner="mso") == [mso["id"]]
        assert listed(status="completed") == [late_done["id"]]
        assert listed(overdue="true") == [overdue["id"]]
        assert listed(overdue="false") == [late_done["id"], mso["id"], future["id"]]
        assert listed(due_before=later(30)) == [overdue["id"], late_done["id"], mso["id"]]
        assert listed(due_after="2020-01-31") == [late_done["id"], mso["id"], future["id"]]
        assert listed(due_after="2020-01-31", due_before=later(30), owner="pc") == [late_done["id"]]
        items = pair.pc.get("/corrective-actions", headers=QUALITY).json()["items"]
        assert [i["overdue"] for i in items] == [True, False, False, False]
        assert pair.pc.get(f"/corrective-actions/{overdue['id']}", headers=APP).json()["overdue"]

        first = pair.pc.get("/corrective-actions", params={"limit": 2}, headers=QUALITY).json()
        second = pair.pc.get(
            "/corrective-actions",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=QUALITY,
        ).json()
        assert [i["id"] for i in first["items"] + second["items"]] == listed()
        assert second["next_cursor"] is None
        assert (
            pair.pc.get(
                "/corrective-actions", params={"status": "done"}, headers=QUALITY
            ).status_code
            == 422
        )
        assert pair.pc.get("/corrective-actions", headers=MSO).status_code == 403

        before = rows(pair)
        pair.pc_runtime.projections.rebuild()
        assert rows(pair) == before


def test_roles_input_and_versions(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        body = {"title": "t", "description": "d", "owner": "pc", "due_on": later(3)}
        for headers in (PHYSICIAN, APP, AUDITOR, MSO):
            assert (
                pair.pc.post("/corrective-actions", json=body, headers=headers).status_code == 403
            )
        head = pair.pc_runtime.application.head_position()
        for bad, field in [
            ({**body, "owner": "vendor"}, "body.owner"),
            ({**body, "due_on": "soon"}, "body.due_on"),
            ({**body, "title": "x" * 201}, "body.title"),
            ({**body, "source": {"kind": "hunch", "reference": "r"}}, "body.source.kind"),
            ({k: v for k, v in body.items() if k != "description"}, "body.description"),
        ]:
            refused = pair.pc.post("/corrective-actions", json=bad, headers=QUALITY)
            assert refused.status_code == 422
            assert field in [e["field"] for e in refused.json()["errors"]], refused.json()
        assert pair.pc_runtime.application.head_position() == head

        keyed = {**QUALITY, "Idempotency-Key": "ca-1"}
        first = pair.pc.post("/corrective-actions", json=body, headers=keyed)
        replay = pair.pc.post("/corrective-actions", json=body, headers=keyed)
        assert first.json()["id"] == replay.json()["id"]
        action_id = first.json()["id"]
        assert first.json()["opened_by"] == "quality-ann"

        assert progress(pair, action_id, "in_progress", headers=AUDITOR).status_code == 403
        assert progress(pair, action_id, "completed").status_code == 409
        progress(pair, action_id, "in_progress")
        progress(pair, action_id, "completed")
        for headers in (PHYSICIAN, APP, AUDITOR, MSO):
            assert judge(pair, action_id, "verify", headers=headers).status_code == 403
        stale = pair.pc.post(
            f"/corrective-actions/{action_id}/verify",
            json={"note": "effective"},
            headers={**DIRECTOR, "If-Match": '"1"'},
        )
        assert stale.status_code == 412
        etag = pair.pc.get(f"/corrective-actions/{action_id}", headers=DIRECTOR).headers["ETag"]
        blank = pair.pc.post(
            f"/corrective-actions/{action_id}/verify", json={"note": "  "}, headers=DIRECTOR
        )
        assert blank.status_code == 422
        ok = pair.pc.post(
            f"/corrective-actions/{action_id}/verify",
            json={"note": "effective"},
            headers={**DIRECTOR, "If-Match": etag},
        )
        assert ok.status_code == 200, ok.text
        missing = pair.pc.get(f"/corrective-actions/{uuid.uuid4()}", headers=DIRECTOR)
        assert missing.status_code == 404
        assert missing.json()["type"] == "/problems/corrective-action-not-found"
        assert date.fromisoformat(ok.json()["due_on"]) > datetime.now(UTC).date()
