"""Exactly-once application of contract messages, and read models rebuilt from zero."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import select

from contracts import Envelope
from mhg.errors import ConcurrentUpdate
from mhg.eventstore import AlreadyApplied
from services.pc_governance.domain.authorization import Authorization
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import go_live

pytestmark = pytest.mark.storage

SERVICE = auth("service", "pc-governance")
BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-2026-002"}


def requested_line(pair: Pair, name: str = "Campus A", *, live: bool = False) -> str:
    """A site with school physicals requested; `live`: the site went live through the PC first."""
    site_id: str = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Quad"}, headers=ADMIN
    ).json()["id"]
    if live:
        go_live(pair, site_id)
    pair.mso.post(
        f"/sites/{site_id}/service-lines", json={"code": "school_physical"}, headers=ADMIN
    )
    response = pair.mso.post(
        f"/sites/{site_id}/service-lines/school_physical/authorization-requests",
        json={"readiness": {"summary": "ready"}},
        headers=ADMIN,
    )
    assert response.status_code == 201
    return site_id


def feed(pair: Pair, after: int = 0) -> list[Envelope]:
    page = pair.mso.get("/contracts/v1/feed", params={"after": after}, headers=SERVICE)
    assert page.status_code == 200
    return [Envelope.model_validate(m) for m in page.json()["messages"]]


def authorization_count(pair: Pair) -> int:
    app = pair.pc_runtime.application
    topic = Authorization.Requested  # type: ignore[attr-defined]
    return len(app.recorder.select_notifications(start=None, limit=1000, topics=[get_topic(topic)]))


def test_a_message_delivered_twice_is_applied_once(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        [envelope] = feed(pair)
        policy = pair.pc_runtime.parts.inbound(pair.pc_runtime.application)
        policy(envelope)
        with pytest.raises(AlreadyApplied):
            policy(envelope)
        assert authorization_count(pair) == 1
        # the follower, reading from position zero again, skips what it applied
        pair.pc_runtime.follower.status.consumed = 0
        assert pair.pc_runtime.follower.catch_up() == 0
        assert authorization_count(pair) == 1
        assert pair.pc_runtime.application.consumed_position("mso-ops.feed.v1") == envelope.position


def test_the_feed_is_ordered_stable_and_resumable(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        for n in range(3):
            requested_line(pair, f"Campus {n}")
        first = feed(pair)
        assert [m.position for m in first] == sorted(m.position for m in first)
        assert [m.message_id for m in feed(pair)] == [m.message_id for m in first]
        assert [m.message_id for m in feed(pair, after=first[0].position)] == [
            m.message_id for m in first[1:]
        ]
        assert all(m.type == "authorization.requested" and m.version == 1 for m in first)
        small = pair.mso.get(
            "/contracts/v1/feed", params={"after": 0, "limit": 1}, headers=SERVICE
        ).json()
        assert small["next_after"] == first[0].position
        assert small["head"] >= first[-1].position
        rest = pair.mso.get(
            "/contracts/v1/feed", params={"after": first[-1].position}, headers=SERVICE
        ).json()
        assert rest["messages"] == []
        assert rest["next_after"] == rest["head"]


def test_a_message_that_no_longer_applies_is_skipped_durably(store_url: StoreUrl) -> None:
    """A decision answering a superseded request must not stall the MSO's follower."""
    with service_pair(store_url) as pair:
        site_id = requested_line(pair)
        pair.sync()
        [item] = pair.pc.get("/authorizations", headers=DIRECTOR).json()["items"]
        pair.pc.post(
            f"/authorizations/{item['id']}/deny",
            json={"reason": "not yet", "basis": BASIS},
            headers=DIRECTOR,
        )
        pair.sync()
        again = pair.mso.post(
            f"/sites/{site_id}/service-lines/school_physical/authorization-requests",
            json={"readiness": {"summary": "now ready"}},
            headers=ADMIN,
        )
        assert again.status_code == 201
        # a stale copy of the denial (older request id) arrives again at a new position
        stale_position = pair.mso_runtime.application.consumed_position("pc-governance.feed.v1")
        page = pair.pc.get("/contracts/v1/feed", headers=auth("service", "mso-ops")).json()
        stale: dict[str, Any] = {**page["messages"][0], "position": stale_position + 1000}
        pair.mso_runtime.parts.inbound(pair.mso_runtime.application)(Envelope.model_validate(stale))
        line = pair.mso.get(f"/sites/{site_id}/service-lines/school_physical", headers=ADMIN).json()
        assert line["status"] == "authorization_requested"
        assert (
            pair.mso_runtime.application.consumed_position("pc-governance.feed.v1")
            == stale_position + 1000
        )


def read_models(pair: Pair) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for runtime in (pair.mso_runtime, pair.pc_runtime):
        for projection in runtime.projections.projections:
            for table in projection.tables:
                # log order where a table keeps it; else (aggregates, link tables) its key
                order = [table.c.position] if "position" in table.c else list(table.primary_key)
                with runtime.store.reader.connect() as conn:
                    rows = conn.execute(select(table).order_by(*order)).mappings().all()
                out[table.name] = [dict(r) for r in rows]
    return out


def test_read_models_rebuilt_from_zero_equal_the_live_ones(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = requested_line(pair, live=True)
        requested_line(pair, "Campus B")
        pair.sync()
        lines = {"kind": "service_line"}
        items = pair.pc.get("/authorizations", params=lines, headers=DIRECTOR).json()["items"]
        pair.pc.post(
            f"/authorizations/{items[0]['id']}/approve",
            json={"effective_date": "2026-01-01", "basis": BASIS},
            headers=DIRECTOR,
        )
        pair.pc.post(
            f"/authorizations/{items[1]['id']}/deny",
            json={"reason": "no", "basis": BASIS},
            headers=DIRECTOR,
        )
        pair.sync()
        booked = pair.mso.post(
            "/appointments",
            json={
                "site_id": site_id,
                "service_line": "school_physical",
                "start": "2027-03-01T15:00:00+02:00",
                "patient": {
                    "name": "Sam",
                    "date_of_birth": "2012-02-02",
                    "contact": "sam@example.org",
                },
            },
            headers=ADMIN,
        )
        assert booked.status_code == 201, booked.text
        held = pair.mso.post(f"/sites/{site_id}/suspend", json={"reason": "flood"}, headers=ADMIN)
        assert held.status_code == 200, held.text  # the site's stop moment rebuilds too
        pair.sync()
        live = read_models(pair)
        assert [r["stopped_at"] is not None for r in live["mso_sites"]] == [True, False]
        assert live["mso_appointments"][0]["start"].isoformat() == "2027-03-01T13:00:00+00:00"
        assert {r["status"] for r in live["pc_authorizations"]} == {"approved", "denied"}
        pair.mso_runtime.projections.rebuild()
        pair.pc_runtime.projections.rebuild()
        assert read_models(pair) == live
        assert pair.mso_runtime.projections.lag() == 0


def test_a_transient_conflict_leaves_the_message_to_be_fetched_again(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        pair.sync()
        [item] = pair.pc.get("/authorizations", headers=DIRECTOR).json()["items"]
        pair.pc.post(
            f"/authorizations/{item['id']}/approve",
            json={"effective_date": "2026-01-01", "basis": BASIS},
            headers=DIRECTOR,
        )
        mso = pair.mso_runtime.application

        def lost_a_race(**_: Any) -> None:
            raise ConcurrentUpdate("the service line changed meanwhile")

        monkeypatch.setattr(mso.pc_decisions, "record_pc_approval", lost_a_race)
        with pytest.raises(ConcurrentUpdate):
            pair.mso_runtime.follower.run_once()
        assert mso.consumed_position("pc-governance.feed.v1") == 0
        monkeypatch.undo()
        pair.sync()
        line = pair.mso.get("/sites", headers=ADMIN).json()["items"][0]["id"]
        status = pair.mso.get(f"/sites/{line}/service-lines/school_physical", headers=ADMIN).json()
        assert status["status"] == "authorized"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_readiness_reports_a_follower_that_stopped(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        assert pair.mso.get("/readyz").status_code == 200
        follower = pair.mso_runtime.follower

        def broken(_: Envelope) -> None:
            raise RuntimeError("a bug in an inbound policy")

        pair.mso_runtime.settings.follow_peer = True
        requested_line(pair)
        pair.sync()
        [item] = pair.pc.get("/authorizations", headers=DIRECTOR).json()["items"]
        pair.pc.post(
            f"/authorizations/{item['id']}/deny",
            json={"reason": "no", "basis": BASIS},
            headers=DIRECTOR,
        )
        follower.apply = broken
        follower.poll_interval = 0.01
        follower.start()  # the thread dies on the bug, deliberately
        assert follower._thread is not None
        follower._thread.join(timeout=10)
        ready = pair.mso.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["stopped_workers"] == ["follower of pc-governance.feed.v1"]
