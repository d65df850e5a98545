"""Nothing accepted can stop a projection: extreme but valid values on every write route.

For each service, every write route of its OpenAPI document gets requests whose values
sit on the bounds the schema states (first and last day of the kernel's range at the
widest offsets, text at maximum length in multi-byte letters, the largest numbers).
None may answer 5xx; whatever was accepted then crosses the feeds, and every projection
of both services must catch up to its log head (ADR 0016).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mhg.runtime import ServiceRuntime
from tests.conftest import auth
from tests.integration.extremes import Pool, WriteRoute, request, write_routes
from tests.integration.scheduling_helpers import (
    authorized_site,
    clock,  # noqa: F401  (a fixture: the scheduling tests' fixed clock)
    create_schedule,
    find,
    pair,  # noqa: F401  (a fixture: both services, background work off)
    publish,
)
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

ROLES = {
    "mso": ("mso_admin", "mso_scheduler", "mso_billing"),
    "pc": ("medical_director", "pc_quality", "physician", "app"),
}


class Writer:
    """Sends one service's extreme requests, remembering created ids and working roles."""

    def __init__(self, client: TestClient, roles: tuple[str, ...]) -> None:
        self.client = client
        self.document: dict[str, Any] = client.get("/openapi.json").json()
        self.routes = write_routes(self.document)
        self.roles = roles
        self.role_of: dict[str, str] = {}
        self.pool = Pool()
        self.accepted = 0

    def send(self, route: WriteRoute, data: st.DataObject) -> None:
        url, headers, body = request(self.document, route, self.pool, data)
        for role in [self.role_of[route.path]] if route.path in self.role_of else self.roles:
            response = self.client.request(
                route.method, url, json=body, headers={**headers, **auth(role, "bounds")}
            )
            if response.status_code != 403:
                self.role_of[route.path] = role
                break
        assert response.status_code < 500, (route.method, url, body, response.text)
        if response.status_code < 300:
            self.accepted += 1
            if route.method == "post":
                self.pool.remember(route.path, response.json())


def caught_up(runtime: ServiceRuntime) -> dict[str, int]:
    """Each projection's distance from the log head, after a catch-up."""
    runtime.projections.catch_up()
    head = runtime.application.head_position()
    return {p.name: head - runtime.projections.position(p) for p in runtime.projections.projections}


def seed(services: Pair, mso: Writer) -> None:
    """A bookable site with published slots, so bookings and slot steps reach the domain."""
    site_id = authorized_site(services)
    schedule = create_schedule(services, site_id)
    publish(services, schedule["id"])
    mso.pool.ids["/sites"] = [site_id]
    mso.pool.ids["/schedules"] = [schedule["id"]]
    mso.pool.ids["/slots"] = [s["id"] for s in find(services, site_id=site_id)][:4]


def test_extreme_values_on_every_write_route_leave_every_projection_advancing(
    pair: Pair,  # noqa: F811
) -> None:
    writers = [Writer(pair.mso, ROLES["mso"]), Writer(pair.pc, ROLES["pc"])]
    seed(pair, writers[0])

    @given(data=st.data())
    @settings(
        max_examples=2,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def every_route(data: st.DataObject) -> None:
        for writer in writers:
            for route in writer.routes:
                writer.send(route, data)
        pair.sync()
        for runtime in (pair.mso_runtime, pair.pc_runtime):
            behind = {name: lag for name, lag in caught_up(runtime).items() if lag}
            assert not behind, behind

    every_route()
    # The requests reached the domain: many were accepted and wrote events.
    assert [w.accepted >= 15 for w in writers] == [True, True], [w.accepted for w in writers]
    assert pair.mso_runtime.follower.status.last_error is None
    assert pair.pc_runtime.follower.status.last_error is None
