"""The reproductions of issue 9's bad input: each is a 422 problem and writes nothing.

Both backends: a NUL is refused by PostgreSQL only, a 32-bit position only overflows
there, a feed position past 64 bits only on SQLite.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import auth
from tests.integration.scheduling_helpers import (
    ADMIN,
    DIRECTOR,
    PATIENT,
    authorized_site,
    clock,  # noqa: F401  (a fixture: the scheduling tests' fixed clock)
    pair,  # noqa: F401  (a fixture: both services, background work off)
    problem,
)
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

SERVICE = auth("service", "pc-governance")
FAR = "9999-12-31T23:00:00-12:00"  # its UTC conversion overflows


def heads(services: Pair) -> tuple[int, int]:
    return (
        services.mso_runtime.application.head_position(),
        services.pc_runtime.application.head_position(),
    )


def refused(response: Any, field: str) -> None:
    body = problem(response, 422, "invalid-request")
    assert body["status"] == 422
    assert field in [error["field"] for error in body["errors"]], body


def cursor(obj: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def test_an_appointment_at_the_end_of_the_calendar_is_refused(pair: Pair) -> None:  # noqa: F811
    site_id = authorized_site(pair)
    before = heads(pair)
    for start in (FAR, "2200-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2199-12-31T23:00:00-12:00"):
        booking = {"site_id": site_id, "service_line": "sports_clearance", "start": start}
        response = pair.mso.post(
            "/appointments", json={**booking, "patient": PATIENT}, headers=ADMIN
        )
        refused(response, "body.start")
    patient = {**PATIENT, "date_of_birth": "0001-01-01"}
    booking = {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "start": "2027-01-05T17:00:00Z",
    }
    response = pair.mso.post("/appointments", json={**booking, "patient": patient}, headers=ADMIN)
    refused(response, "body.patient.date_of_birth")
    assert heads(pair) == before
    pair.sync()
    assert pair.mso_runtime.projections.lag() == 0


def test_a_meeting_at_the_end_of_the_calendar_is_refused(pair: Pair) -> None:  # noqa: F811
    before = heads(pair)
    meeting = {"period": "2026-11", "scheduled_for": FAR}
    refused(pair.pc.post("/meetings", json=meeting, headers=DIRECTOR), "body.scheduled_for")
    assert heads(pair) == before


def test_control_characters_never_enter_a_name(pair: Pair) -> None:  # noqa: F811
    before = heads(pair)
    for name in ("East\x00side", "East\x1bside", "East\x85side", "East\nside"):
        site = {"name": name, "kind": "campus", "address": "1 Main St"}
        refused(pair.mso.post("/sites", json=site, headers=ADMIN), "body.name")
    template = {
        "name": "Sports\x00clearance",
        "service_line": "sports_clearance",
        "site_ids": None,
        "clinician_roles": ["np"],
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 3,
        "max_clinician_hours_per_day": 8,
    }
    refused(pair.pc.post("/visit-templates", json=template, headers=DIRECTOR), "body.name")
    assert heads(pair) == before
    # Any other letter of Unicode is welcome (line breaks only in prose: tests/unit).
    site = {"name": "Éastside 漢 😀", "kind": "campus", "address": "1 Main St"}
    created = pair.mso.post("/sites", json=site, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Éastside 漢 😀"
    pair.sync()
    assert pair.mso_runtime.projections.lag() == 0


def test_a_period_before_the_calendar_is_refused_by_both_services(pair: Pair) -> None:  # noqa: F811
    meeting = {"period": "0000-01", "scheduled_for": "2026-11-18T18:00:00Z"}
    refused(pair.pc.post("/meetings", json=meeting, headers=DIRECTOR), "body.period")
    invoice = pair.mso.post(
        "/billing/invoices", json={"month": "0000-01"}, headers=auth("mso_billing", "bo")
    )
    refused(invoice, "body.month")
    refused(pair.pc.get("/performance-reports/0000-01", headers=DIRECTOR), "path.month")
    refused(pair.mso.get("/performance-reports/0000-01", headers=ADMIN), "path.month")


def test_cursors_and_feed_positions_are_64_bit_and_bounded(pair: Pair) -> None:  # noqa: F811
    pair.mso.post("/sites", json={"name": "A", "kind": "campus", "address": "x"}, headers=ADMIN)
    pair.sync()
    for after in (2**31, 2**63 - 1):
        page = pair.mso.get("/sites", params={"cursor": cursor({"after": after})}, headers=ADMIN)
        assert page.status_code == 200, page.text
        assert page.json() == {"items": [], "next_cursor": None}
    for bad in ({"after": 2**63}, {"after": -1}, {"after": "1"}, {"after": 1.5}, [1], {}):
        page = pair.mso.get("/sites", params={"cursor": cursor(bad)}, headers=ADMIN)
        problem(page, 422, "invalid-cursor")
    for client in (pair.mso, pair.pc):
        far = client.get("/contracts/v1/feed", params={"after": 10**20}, headers=SERVICE)
        refused(far, "query.after")
        last = client.get("/contracts/v1/feed", params={"after": 2**63 - 1}, headers=SERVICE)
        assert last.status_code == 200, last.text
        assert last.json()["messages"] == []


def test_a_body_that_is_not_utf8_is_a_declared_422(pair: Pair) -> None:  # noqa: F811
    raw = b'{"name": "\xff\xfe", "kind": "campus", "address": "1 Main St"}'
    headers = {**ADMIN, "Content-Type": "application/json"}
    body = problem(pair.mso.post("/sites", content=raw, headers=headers), 422, "invalid-request")
    assert body["status"] == 422


def test_a_method_a_path_lacks_is_405_naming_every_method_it_has(pair: Pair) -> None:  # noqa: F811
    for path, methods in (("/sites", "GET, POST"), ("/meetings", "GET, POST")):
        client = pair.mso if path == "/sites" else pair.pc
        for method in ("OPTIONS", "PATCH"):
            response = client.request(method, path, headers=ADMIN if path == "/sites" else DIRECTOR)
            body = problem(response, 405, "method-not-allowed")
            assert body["status"] == 405
            assert response.headers["allow"] == methods
