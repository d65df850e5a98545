"""The contract feed between real processes when a side is down, restarts, or dies mid-message.

The follower's promise (docs/adr/0002): the consumer keeps serving while the
producer is down and catches up when it returns; a message is applied exactly
once, however often it is delivered; a crash between fetching a message and
committing its effects loses nothing and applies nothing twice.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.inbound import SUBSCRIPTION as PC_SUBSCRIPTION
from tests.conftest import StoreUrl
from tests.e2e.flows import (
    authorizations,
    create_site,
    feed_page,
    propose_line,
    request_authorization,
)
from tests.e2e.harness import (
    ServiceProcess,
    event_name,
    free_port,
    opened_store,
    running_services,
    stored_events,
    wait_caught_up,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.storage]

FEED_WAIT = 15.0
FAULT = {"MHG_FAULT_POINT": "follower.before_commit"}
CRASH_EXIT_CODE = 70


def authorizations_requested(pc: ServiceProcess) -> list[str]:
    """Authorization requests in the PC's event log (not its read model)."""
    events = stored_events(PcGovernanceApplication, pc.database_url)
    return [str(e.originator_id) for e in events if event_name(e) == "Authorization.Requested"]


def test_consumer_serves_while_producer_is_down_and_catches_up(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with running_services(store_url, tmp_path) as services:
        mso = services.mso.client()
        pc = services.pc.client()
        site_id = create_site(mso)
        propose_line(mso, site_id)

        assert services.pc.stop() == 0, services.pc.log_tail()

        assert httpx.get(f"{services.mso.base_url}/healthz", timeout=5).status_code == 200
        ready = wait_until(
            lambda: (body := services.mso.readiness())["reasons"] and body,
            FEED_WAIT,
            message="MSO /readyz to report that the PC feed cannot be read",
        )
        # not ready, and says why (issue 9: it said "ready" here), while it serves on
        assert ready["status"] == "not-ready"
        assert [r["code"] for r in ready["reasons"]] == ["peer-unreachable"]
        assert ready["follower_error"]
        create_site(mso, "Westside HS")
        request_authorization(mso, site_id)

        services.pc.start()
        pending = wait_until(
            lambda: authorizations(pc, "pending"),
            FEED_WAIT,
            message="the request made while the PC was down to reach it",
        )
        assert [p["site_id"] for p in pending] == [site_id]
        wait_caught_up(services.pc, services.mso)
        assert len(authorizations(pc)) == 1
        wait_until(
            lambda: services.mso.readiness()["follower_error"] is None,
            FEED_WAIT,
            message="MSO's follower to recover once the PC is back",
        )
        mso.close()
        pc.close()
        services.stop()
    assert len(authorizations_requested(services.pc)) == 1


def test_feed_is_stable_and_restart_applies_nothing_twice(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with running_services(store_url, tmp_path) as services:
        mso = services.mso.client()
        pc = services.pc.client()
        site_id = create_site(mso)
        propose_line(mso, site_id)
        request_authorization(mso, site_id)
        create_site(mso, "Westside HS")  # the log goes on past the message

        first, again = feed_page(mso, after=0), feed_page(mso, after=0)
        assert first == again
        [message] = first["messages"]
        assert message["type"] == "authorization.requested"
        assert first["head"] > message["position"]
        assert first["next_after"] == first["head"]
        rest = feed_page(mso, after=message["position"])
        assert rest["messages"] == []
        assert rest["next_after"] == rest["head"] == first["head"]

        wait_until(lambda: authorizations(pc, "pending"), FEED_WAIT, message="the request at PC")
        wait_caught_up(services.pc, services.mso)

        assert services.pc.stop() == 0, services.pc.log_tail()
        with opened_store(PcGovernanceApplication, services.pc.database_url) as app:
            assert app.consumed_position(PC_SUBSCRIPTION) == message["position"]
        services.pc.start()
        wait_caught_up(services.pc, services.mso)
        assert services.pc.readiness()["follower_lag"] == 0
        assert len(authorizations(pc)) == 1
        assert feed_page(mso, after=0) == first
        mso.close()
        pc.close()
        services.stop()
    assert len(authorizations_requested(services.pc)) == 1


def test_crash_between_fetch_and_commit_loses_nothing(store_url: StoreUrl, tmp_path: Path) -> None:
    with running_services(store_url, tmp_path, start=False) as services:
        services.mso.start()
        services.pc.start(FAULT)
        mso = services.mso.client()
        pc = services.pc.client()
        site_id = create_site(mso)
        propose_line(mso, site_id)
        request_authorization(mso, site_id)

        assert services.pc.wait_exit(FEED_WAIT) == CRASH_EXIT_CODE, services.pc.log_tail()
        with opened_store(PcGovernanceApplication, services.pc.database_url) as app:
            assert app.consumed_position(PC_SUBSCRIPTION) == 0
            events = app.recorder.select_notifications(start=None, limit=100)
            assert [n.topic for n in events] == [], "the crashed PC stored something"

        services.pc.start()
        pending = wait_until(
            lambda: authorizations(pc, "pending"),
            FEED_WAIT,
            message="the message to be delivered again after the crash",
        )
        assert [p["site_id"] for p in pending] == [site_id]
        wait_caught_up(services.pc, services.mso)
        assert len(authorizations(pc)) == 1
        mso.close()
        pc.close()
        services.stop()
    assert len(authorizations_requested(services.pc)) == 1


def test_two_followers_on_one_store_apply_each_message_once(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    """Real duplicate delivery: two PC processes fetch the same pages (docs/adr/0002)."""
    requests = 5
    with running_services(store_url, tmp_path) as services:
        twin = ServiceProcess(
            name="pc-governance",
            port=free_port(),
            database_url=services.pc.database_url,
            peer_port=services.mso.port,
            log_path=tmp_path / "pc-governance-twin.log",
        )
        twin.start()
        try:
            mso = services.mso.client()
            pc = services.pc.client()
            sites = []
            for number in range(requests):
                site_id = create_site(mso, f"School {number}")
                propose_line(mso, site_id)
                request_authorization(mso, site_id)
                sites.append(site_id)
            wait_caught_up(services.pc, services.mso)
            wait_caught_up(twin, services.mso)
            assert sorted(a["site_id"] for a in authorizations(pc)) == sorted(sites)
            mso.close()
            pc.close()
        finally:
            twin.stop()
        services.stop()
    requested = authorizations_requested(services.pc)
    assert len(requested) == requests
    assert len(set(requested)) == requests
