"""Every read of an appointment with its patient is recorded, listed, and sealed."""

from __future__ import annotations

from typing import Any

import pytest

from mhg.access import patient_ref
from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from tests.conftest import SECRET, StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR, SCHEDULER
from tests.integration.services import (
    Pair,
    service_pair,
)
from tests.integration.test_governed_flow import (
    BASIS,
    booking,
    propose_line,
    request_authorization,
)

pytestmark = pytest.mark.storage

PAT = patient_ref(SECRET, "Pat Doe", "2010-04-01")


def bookable(pair: Pair) -> str:
    site_id = propose_line(pair, live=True)
    authorization_id = request_authorization(pair, site_id)
    approved = pair.pc.post(
        f"/authorizations/{authorization_id}/approve",
        json={"effective_date": "2026-12-01", "basis": BASIS},
        headers=DIRECTOR,
    )
    assert approved.status_code == 200, approved.text
    pair.sync()
    return site_id


def book(pair: Pair, site_id: str, name: str = "Pat Doe") -> str:
    body = booking(site_id)
    body["patient"]["name"] = name
    booked = pair.mso.post("/appointments", json=body, headers=SCHEDULER)
    assert booked.status_code == 201, booked.text
    return str(booked.json()["id"])


def reads(pair: Pair, **params: Any) -> list[dict[str, Any]]:
    pair.mso_runtime.projections.catch_up()
    response = pair.mso.get("/access-log", params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_each_read_is_recorded_with_who_which_record_and_why(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = bookable(pair)
        pat = book(pair, site_id)
        other = book(pair, site_id, name="Robin Roe")
        assert reads(pair) == [], "booking is not a read"

        assert pair.mso.get(f"/appointments/{pat}", headers=SCHEDULER).status_code == 200
        treatment = {**ADMIN, "X-Purpose-Of-Use": "patient_request"}
        assert pair.mso.get(f"/appointments/{pat}", headers=treatment).status_code == 200
        assert pair.mso.get(f"/appointments/{other}", headers=SCHEDULER).status_code == 200

        by_patient = reads(pair, patient_ref=PAT)
        assert [(r["actor_id"], r["purpose"]) for r in by_patient] == [
            ("sam", "operations"),
            ("ann", "patient_request"),
        ]
        assert {r["record_id"] for r in by_patient} == {pat}
        assert all(r["record_kind"] == "appointment" for r in by_patient)
        assert len(reads(pair, actor_id="sam")) == 2
        assert len(reads(pair)) == 3
        assert "Pat Doe" not in pair.mso.get("/access-log", headers=AUDITOR).text


def test_a_refused_read_is_not_a_read_and_a_bad_purpose_is_named(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = bookable(pair)
        pat = book(pair, site_id)
        bad = pair.mso.get(
            f"/appointments/{pat}", headers={**SCHEDULER, "X-Purpose-Of-Use": "curiosity"}
        )
        assert bad.status_code == 422
        assert bad.json()["type"].endswith("/invalid-purpose-of-use")
        missing = pair.mso.get(
            "/appointments/00000000-0000-0000-0000-000000000001", headers=SCHEDULER
        )
        assert missing.status_code == 404
        assert reads(pair) == []


def test_only_auditors_and_mso_admins_list_the_access_log(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        for role in ("mso_scheduler", "vendor", "medical_director"):
            response = pair.mso.get("/access-log", headers=auth(role, "x"))
            assert response.status_code == 403, role
        assert pair.mso.get("/access-log", headers=ADMIN).status_code == 200


def test_reads_are_covered_by_the_audit_chain(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = bookable(pair)
        pat = book(pair, site_id)
        position_before = pair.mso_runtime.application.head_position()
        assert pair.mso.get(f"/appointments/{pat}", headers=SCHEDULER).status_code == 200
        assert pair.mso_runtime.application.head_position() == position_before + 1
        ledger = pair.mso_runtime.ledger
        seal_pending(ledger)
        verdict = verify(ledger)
        assert verdict.intact
        assert verdict.head_position == position_before + 1


def test_a_command_that_answers_with_the_patient_is_a_read(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = bookable(pair)
        pat = book(pair, site_id)
        cancelled = pair.mso.post(
            f"/appointments/{pat}/cancel", json={"reason": "team travel"}, headers=ADMIN
        )
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["patient"]["name"] == "Pat Doe"
        assert [(r["actor_id"], r["record_id"]) for r in reads(pair, patient_ref=PAT)] == [
            ("ann", pat)
        ]
