"""Steps the performance-reporting tests share: authorized sites, visits, their outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.conftest import auth
from tests.integration.conftest import ADMIN, DIRECTOR, SCHEDULER
from tests.integration.services import Pair
from tests.integration.site_helpers import go_live

BILLING = auth("mso_billing", "bea")
AUDITOR = auth("auditor", "aud-1")
SERVICE = auth("service", "pc-governance")
BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}


def month_start(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def months_ago(count: int) -> date:
    month = month_start(datetime.now(UTC))
    for _ in range(count):
        month = month_start(datetime.combine(month, datetime.min.time()) - timedelta(days=1))
    return month


def authorized_site(pair: Pair, name: str, lines: tuple[str, ...]) -> str:
    """A live site (the PC approved its go-live) whose lines the PC authorized from 2020 on."""
    site = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert site.status_code == 201, site.text
    site_id: str = site.json()["id"]
    go_live(pair, site_id)
    for code in lines:
        proposed = pair.mso.post(
            f"/sites/{site_id}/service-lines", json={"code": code}, headers=ADMIN
        )
        assert proposed.status_code == 201, proposed.text
        requested = pair.mso.post(
            f"/sites/{site_id}/service-lines/{code}/authorization-requests",
            json={"readiness": {"summary": "ready", "checklist": [{"item": "room", "met": True}]}},
            headers=ADMIN,
        )
        assert requested.status_code == 201, requested.text
    pair.sync()
    pending = pair.pc.get(
        "/authorizations", params={"status": "pending", "limit": 100}, headers=DIRECTOR
    ).json()["items"]
    for authorization in pending:
        if authorization["site_id"] == site_id:
            approved = pair.pc.post(
                f"/authorizations/{authorization['id']}/approve",
                json={"effective_date": "2020-01-01", "basis": BASIS},
                headers=DIRECTOR,
            )
            assert approved.status_code == 200, approved.text
    pair.sync()
    return site_id


def visit(
    pair: Pair,
    site_id: str,
    line: str,
    start: datetime,
    outcome: str | None = None,
    score: int | None = None,
    account_id: str | None = None,
) -> str:
    """A booking at `start` (for the account when given), its outcome when given, and its
    survey when given."""
    booked = pair.mso.post(
        "/appointments",
        json={
            "site_id": site_id,
            "service_line": line,
            "start": start.isoformat(),
            "patient": PATIENT,
            "account_id": account_id,
        },
        headers=SCHEDULER,
    )
    assert booked.status_code == 201, booked.text
    appointment_id: str = booked.json()["id"]
    if outcome == "cancelled":
        cancelled = pair.mso.post(
            f"/appointments/{appointment_id}/cancel", json={"reason": "ill"}, headers=SCHEDULER
        )
        assert cancelled.status_code == 200, cancelled.text
    elif outcome is not None:
        recorded = pair.mso.post(
            f"/appointments/{appointment_id}/outcome",
            json={"outcome": outcome},
            headers=SCHEDULER,
        )
        assert recorded.status_code == 200, recorded.text
    if score is not None:
        surveyed = pair.mso.post(
            "/surveys", json={"appointment_id": appointment_id, "score": score}, headers=SCHEDULER
        )
        assert surveyed.status_code == 201, surveyed.text
    return appointment_id


def at(month: date, day: int, hour: int = 10) -> datetime:
    return datetime(month.year, month.month, day, hour, tzinfo=UTC)


def kpi(report: dict[str, Any], site_id: str, name: str, line: str | None = None) -> Any:
    [site] = [s for s in report["sites"] if s["site_id"] == site_id]
    [value] = [k for k in site["kpis"] if k["kpi"] == name and k["service_line"] == line]
    return value


def read_models(pair: Pair, *names: str) -> dict[str, list[tuple[Any, ...]]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: sorted((tuple(row) for row in conn.execute(select(tables[name]))), key=repr)
            for name in names
        }
