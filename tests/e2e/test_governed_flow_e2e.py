"""The governed flow across two real service processes, checked from the stored events.

MSO Operations and PC Governance run as separate uvicorn processes that know each
other only by their feed URLs. Every request carries one correlation id; after the
flow, the event logs themselves must show who did what, in which conversation, and
which contract message caused each reaction.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from services.mso_ops.application import MsoOpsApplication
from services.pc_governance.application import PcGovernanceApplication
from tests.conftest import StoreUrl
from tests.e2e.flows import (
    ADMIN,
    BASIS,
    DIRECTOR,
    REVOKE_BASIS,
    authorizations,
    booking,
    create_site,
    feed_page,
    go_live,
    propose_line,
    request_authorization,
    service_line,
)
from tests.e2e.harness import event_name, running_services, stored_events, wait_until
from tests.keys import MSO_KEY, PC_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.deployed]

META_FIELDS = (
    "actor_id",
    "actor_role",
    "actor_org",
    "request_id",
    "correlation_id",
    "causation_id",
)
ORGS = {"mso", "pc", "vendor", "service"}
FEED_WAIT = 15.0


def test_governed_flow_across_processes(store_url: StoreUrl, tmp_path: Path) -> None:
    correlation_id = f"e2e-flow-{uuid.uuid4().hex}"
    headers = {"X-Correlation-ID": correlation_id}
    with running_services(store_url, tmp_path) as services:
        mso = services.mso.client(headers)
        pc = services.pc.client(headers)

        site_id = create_site(mso)
        propose_line(mso, site_id)
        not_live = mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert not_live.status_code == 409, not_live.text
        assert not_live.json()["type"].endswith("/site-not-live")
        assert not_live.json()["site_status"] == "proposed"

        # the PC approves the site's go-live (through both feeds); the MSO opens it
        go_live_id, _ = go_live(mso, pc, site_id)
        refused = mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"].endswith("/service-line-not-authorized")
        assert refused.headers["x-correlation-id"] == correlation_id

        request_authorization(mso, site_id)
        # the line's request (the go-live's approval may still be on its way to the list)
        pending = wait_until(
            lambda: authorizations(pc, "pending", kind="service_line"),
            FEED_WAIT,
            message="the MSO request to reach the PC through the feed",
        )
        assert len(pending) == 1
        assert pending[0]["site_id"] == site_id
        authorization_id = str(pending[0]["id"])
        assert authorization_id != go_live_id

        approved = pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={
                "effective_date": "2026-12-01",
                "basis": BASIS,
                "protocol_refs": ["sports v3"],
                "conditions": [],
            },
            headers=DIRECTOR,
        )
        assert approved.status_code == 200, approved.text
        assert approved.headers["x-correlation-id"] == correlation_id
        decision_id = approved.json()["decisions"][-1]["decision_id"]

        line = wait_until(
            lambda: (line := service_line(mso, site_id))["status"] == "authorized" and line,
            FEED_WAIT,
            message="the PC approval to reach the MSO through the feed",
        )
        assert line["decision_id"] == decision_id
        assert line["authorization_id"] == authorization_id

        booked = mso.post("/appointments", json=booking(site_id), headers=ADMIN)
        assert booked.status_code == 201, booked.text
        assert booked.json()["authorization_id"] == authorization_id
        assert booked.json()["decision_id"] == decision_id

        revoked = pc.post(
            f"/authorizations/{authorization_id}/revoke",
            json={"reason": "chart review findings", "basis": REVOKE_BASIS},
            headers=DIRECTOR,
        )
        assert revoked.status_code == 200, revoked.text
        wait_until(
            lambda: service_line(mso, site_id)["status"] == "revoked",
            FEED_WAIT,
            message="the PC revocation to reach the MSO through the feed",
        )
        after = mso.post(
            "/appointments", json=booking(site_id, "2027-02-01T10:00:00Z"), headers=ADMIN
        )
        assert after.status_code == 409, after.text
        assert after.json()["type"].endswith("/service-line-not-authorized")

        mso_feed = feed_page(mso)["messages"]
        pc_feed = feed_page(pc)["messages"]
        mso.close()
        pc.close()
        services.stop()

    mso_events = stored_events(MsoOpsApplication, services.mso.database_url)
    pc_events = stored_events(PcGovernanceApplication, services.pc.database_url)

    # Each service keeps every message it applied, exactly as its producer signed it.
    mso_kept, mso_events = kept_apart(mso_events)
    pc_kept, pc_events = kept_apart(pc_events)
    assert [e.envelope for e in mso_kept] == pc_feed
    assert [e.envelope for e in pc_kept] == mso_feed
    assert {e.key_id for e in mso_kept} == {PC_KEY.key_id}
    assert {e.key_id for e in pc_kept} == {MSO_KEY.key_id}

    # Every stored event says who did it, for which organisation, in which conversation.
    for event in (*mso_events, *pc_events):
        meta = getattr(event, "meta", None)
        assert meta is not None, f"{event_name(event)} has no meta"
        for name in META_FIELDS:
            assert getattr(meta, name), f"{event_name(event)}.meta.{name} is empty: {meta}"
        assert meta.actor_org in ORGS, f"{event_name(event)}: actor_org {meta.actor_org!r}"

    # The one conversation spans both services, from site creation to the revocation's effect.
    assert [event_name(e) for e in mso_events] == [
        "Site.Proposed",
        "ServiceLine.Proposed",
        "Site.ReadinessStarted",
        *["Site.ChecklistEvidenceRecorded"] * 7,
        "Site.ProFormaSet",
        "Site.GoLiveRequested",
        "Site.GoLiveApproved",
        "Site.Opened",
        "ServiceLine.AuthorizationRequested",
        "ServiceLine.AuthorizationApproved",
        "Appointment.Booked",
        "ServiceLine.AuthorizationWithdrawn",
    ]
    assert [event_name(e) for e in pc_events] == [
        "Authorization.Requested",  # the go-live
        "Authorization.Approved",
        "Authorization.Requested",  # the service line
        "Authorization.Approved",
        "Authorization.Revoked",
    ]
    assert_conversation(mso_events, correlation_id, service="MSO")
    assert_conversation(pc_events, correlation_id, service="PC")

    # Reactions are caused by the envelope of the message that carried them across.
    assert [m["type"] for m in mso_feed] == ["authorization.requested"] * 2
    assert [m["type"] for m in pc_feed] == [
        "authorization.approved",
        "authorization.approved",
        "authorization.revoked",
    ]
    for envelope in (*mso_feed, *pc_feed):
        assert envelope["correlation_id"] == correlation_id
    assert_reactions(pc_events, mso_feed, consumer="pc-governance", expect=2)
    assert_reactions(mso_events, pc_feed, consumer="mso-ops", expect=3)


def kept_apart(events: list[Any]) -> tuple[list[Any], list[Any]]:
    """(the signed messages kept, every other event)."""
    kept = [e for e in events if event_name(e) == "ReceivedMessage.Received"]
    return kept, [e for e in events if event_name(e) != "ReceivedMessage.Received"]


def assert_conversation(events: list[Any], correlation_id: str, *, service: str) -> None:
    outside = [event_name(e) for e in events if e.meta.correlation_id != correlation_id]
    assert not outside, f"{service} events outside the conversation {correlation_id}: {outside}"


def assert_reactions(
    events: list[Any], feed: list[dict[str, Any]], *, consumer: str, expect: int
) -> None:
    """Events caused by contract messages: causation id = message id, request id names the position."""
    by_message_id = {m["message_id"]: m for m in feed}
    reactions = [e for e in events if e.meta.causation_id in by_message_id]
    assert len(reactions) == expect, (
        f"{consumer}: expected {expect} reactions to {sorted(by_message_id)}, "
        f"found {[(event_name(e), e.meta.causation_id) for e in events]}"
    )
    for event in reactions:
        envelope = by_message_id[event.meta.causation_id]
        assert event.meta.request_id == f"{consumer}:{envelope['producer']}:{envelope['position']}"
        assert event.meta.actor_id == envelope["actor"]["id"]
        assert event.meta.actor_org == envelope["actor"]["org"]
    for event in events:
        if event not in reactions:
            assert event.meta.causation_id == event.meta.request_id, (
                f"{event_name(event)} was caused by a request, not {event.meta.causation_id}"
            )
