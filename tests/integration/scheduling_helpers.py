"""What the scheduling tests share: a clock, a live site with an authorized line, schedules,
slots, steps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.mso_ops.application import clock as clock_module
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, DIRECTOR, SCHEDULER
from tests.integration.pages import every_page
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import go_live
from tests.integration.template_feed import approve_template

BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-7"}
# Monday 4 January 2027, 08:00 in Los Angeles
NOW = datetime(2027, 1, 4, 16, 0, tzinfo=UTC)
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
READ_MODELS = ("mso_schedules", "mso_slots", "mso_slot_holds", "mso_appointments")


class Clock:
    """The MSO's clock, set by the test (holds expire and visits come due by it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = NOW
        monkeypatch.setattr(clock_module, "now", lambda: self.at)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def pair(store_url: StoreUrl, clock: Clock) -> Iterator[Pair]:
    with service_pair(store_url) as the_pair:
        yield the_pair


def vendor(*site_ids: str, sub: str = "acme-scheduling") -> dict[str, str]:
    return auth("vendor", sub, sites=site_ids)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{code}", body
    return body


def site_with_line(pair: Pair, code: str = "sports_clearance", name: str = "Eastside HS") -> str:
    """A live site (its go-live approved by the PC) with the line proposed, not authorized."""
    site = ok(
        pair.mso.post(
            "/sites",
            json={"name": name, "kind": "campus", "address": "1 Main St"},
            headers=ADMIN,
        ),
        201,
    )
    go_live(pair, site["id"])
    ok(pair.mso.post(f"/sites/{site['id']}/service-lines", json={"code": code}, headers=ADMIN), 201)
    return str(site["id"])


def authorize(pair: Pair, site_id: str, code: str = "sports_clearance") -> str:
    """The PC approves the line at the site, and the approval reaches the MSO."""
    ok(
        pair.mso.post(
            f"/sites/{site_id}/service-lines/{code}/authorization-requests",
            json={"readiness": {"summary": "ready", "checklist": []}},
            headers=ADMIN,
        ),
        201,
    )
    pair.sync()
    pending = ok(pair.pc.get("/authorizations", params={"status": "pending"}, headers=DIRECTOR))
    [authorization] = [a for a in pending["items"] if a["site_id"] == site_id]
    ok(
        pair.pc.post(
            f"/authorizations/{authorization['id']}/approve",
            json={"effective_date": "2026-12-01", "basis": BASIS},
            headers=DIRECTOR,
        )
    )
    pair.sync()
    return str(authorization["id"])


def authorized_site(pair: Pair, code: str = "sports_clearance", name: str = "Eastside HS") -> str:
    site_id = site_with_line(pair, code, name)
    authorize(pair, site_id, code)
    return site_id


def schedule_body(site_id: str, template_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "name": "Fall sports clearances",
        "template_id": template_id,
        "timezone": "America/Los_Angeles",
        "slot_minutes": 20,
        "capacity": 2,
        "starts_on": "2027-01-04",
        "weekly": [
            {"weekday": "tue", "start": "09:00", "end": "10:00"},
            {"weekday": "thu", "start": "14:00", "end": "15:00", "capacity": 3},
        ],
    }
    body.update(changes)
    return body


def create_schedule(pair: Pair, site_id: str, **changes: Any) -> dict[str, Any]:
    """A schedule under a template the PC has approved for its line (one is sent first,
    unless `template_id` names one)."""
    template_id = changes.pop("template_id", None) or approve_template(
        pair, service_line=changes.get("service_line", "sports_clearance")
    )
    body = schedule_body(site_id, template_id, **changes)
    return ok(pair.mso.post("/schedules", json=body, headers=ADMIN), 201)


def publish(pair: Pair, schedule_id: str, through: str = "2027-01-10") -> dict[str, Any]:
    body = ok(
        pair.mso.post(
            f"/schedules/{schedule_id}/publications", json={"through": through}, headers=SCHEDULER
        )
    )
    pair.sync()
    return body


def find(pair: Pair, headers: dict[str, str] = ADMIN, **params: Any) -> list[dict[str, Any]]:
    """Every page of a slot search."""
    return every_page(pair.mso, "/slots", headers, **params)


def hold(pair: Pair, slot_id: str, headers: dict[str, str] = ADMIN, **body: Any) -> Any:
    return pair.mso.post(f"/slots/{slot_id}/holds", json=body, headers=headers)


def book(
    pair: Pair,
    slot_id: str,
    headers: dict[str, str] = ADMIN,
    hold_id: str | None = None,
    patient: dict[str, str] = PATIENT,
) -> Any:
    body: dict[str, Any] = {"patient": patient, "requested_by": "Eastside HS athletics"}
    if hold_id:
        body["hold_id"] = hold_id
    return pair.mso.post(f"/slots/{slot_id}/$book", json=body, headers=headers)


def slot(pair: Pair, slot_id: str, headers: dict[str, str] = ADMIN) -> dict[str, Any]:
    return ok(pair.mso.get(f"/slots/{slot_id}", headers=headers))


def read_models(pair: Pair) -> dict[str, list[Any]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(tables[name]).order_by(tables[name].c.id))]
            for name in READ_MODELS
        }
