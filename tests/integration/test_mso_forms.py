"""Clearance and physical forms over HTTP, on each backend: request to delivery, overdue."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.clinician_helpers import AS_SIGNER, SIGNER, credentialed_signer
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR, SCHEDULER
from tests.integration.services import Pair, service_pair
from tests.integration.test_governed_flow import (
    BASIS,
    booking,
    propose_line,
    request_authorization,
)

CLINICIAN = SIGNER  # the PC physician who signs: credentialed and eligible in `pair`
BASE = datetime.now(UTC).replace(microsecond=0)
TODAY = BASE.date()
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        credentialed_signer(services)
        yield services


def iso(moment: datetime) -> str:
    return moment.isoformat()


def site(pair: Pair, name: str = "Eastside HS") -> str:
    response = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def form_body(site_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "kind": "sports_clearance",
        "requested_by": {"kind": "school", "name": "Eastside High athletics"},
        "patient": PATIENT,
        "due_on": (TODAY + timedelta(days=5)).isoformat(),
        "received_at": iso(BASE - timedelta(days=2)),
    } | changes


def request(pair: Pair, site_id: str, **changes: Any) -> dict[str, Any]:
    response = pair.mso.post("/forms", json=form_body(site_id, **changes), headers=SCHEDULER)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def step(pair: Pair, form_id: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    who = AS_SIGNER if action == "record-signature" else SCHEDULER  # the clinician signs
    response = pair.mso.post(f"/forms/{form_id}/{action}", json=body, headers=who)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def through(pair: Pair, form_id: str, last: str) -> None:
    """Take a requested form through the steps up to and including `last`."""
    steps = [
        ("prepare", {"at": iso(BASE - timedelta(days=1))}),
        ("record-signature", {"clinician_id": CLINICIAN, "signed_at": iso(BASE)}),
        ("deliver", {"method": "email"}),
    ]
    for action, body in steps:
        step(pair, form_id, action, body)
        if action == last:
            return


def rows(pair: Pair, path: str = "/forms", **params: Any) -> list[dict[str, Any]]:
    pair.mso_runtime.projections.catch_up()
    response = pair.mso.get(path, params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def head(pair: Pair) -> int:
    return pair.mso_runtime.application.head_position()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{code}"
    return body


def test_a_form_goes_from_request_to_delivery_and_keeps_its_turnaround(pair: Pair) -> None:
    site_id = site(pair)
    created = pair.mso.post("/forms", json=form_body(site_id), headers=SCHEDULER)
    assert created.status_code == 201, created.text
    form = created.json()
    assert created.headers["Location"] == f"/forms/{form['id']}"
    assert created.headers["ETag"] == '"1"'
    assert (form["status"], form["patient"], form["requested_by"]) == (
        "requested",
        PATIENT,
        {"kind": "school", "name": "Eastside High athletics"},
    )

    prepared = pair.mso.post(
        f"/forms/{form['id']}/prepare",
        json={"at": iso(BASE - timedelta(days=1))},
        headers={**SCHEDULER, "If-Match": '"1"'},
    )
    assert prepared.status_code == 200, prepared.text
    assert prepared.headers["ETag"] == '"2"'
    signed = step(
        pair, form["id"], "record-signature", {"clinician_id": CLINICIAN, "signed_at": iso(BASE)}
    )
    assert (signed["status"], signed["signed_by"]) == ("signed", CLINICIAN)
    delivered = step(pair, form["id"], "deliver", {"method": "portal"})
    assert (delivered["status"], delivered["delivery_method"]) == ("delivered", "portal")
    delivered_at = datetime.fromisoformat(delivered["delivered_at"])

    got = pair.mso.get(f"/forms/{form['id']}", headers=AUDITOR)
    assert got.json()["patient"] == PATIENT
    assert got.headers["ETag"] == '"4"'
    [row] = rows(pair)
    assert row["status"] == "delivered"
    assert row["signed_by"] == CLINICIAN
    assert row["turnaround_seconds"] == int(
        (delivered_at - (BASE - timedelta(days=2))).total_seconds()
    )
    assert row["delivered_by_due_date"] is True
    assert "patient" not in row
    assert "Pat Doe" not in str(rows(pair)), "lists carry no patient data"


def test_every_response_showing_a_patient_it_was_not_sent_is_a_recorded_read(
    pair: Pair,
) -> None:
    form = request(pair, site(pair))
    through(pair, form["id"], "deliver")
    pair.mso.get(f"/forms/{form['id']}", headers={**AUDITOR, "X-Purpose-Of-Use": "audit"})
    rows(pair)
    reads = pair.mso.get("/access-log", params={"record_id": form["id"]}, headers=ADMIN).json()
    assert [(r["record_kind"], r["actor_id"], r["purpose"]) for r in reads["items"]] == [
        ("form", "sam", "operations"),
        ("form", CLINICIAN, "operations"),  # the clinician signs, and is shown the patient
        ("form", "sam", "operations"),
        ("form", "aud", "audit"),
    ], "prepare, sign and deliver answer with the patient; so does the read"
    assert len({r["patient_ref"] for r in reads["items"]}) == 1
    assert "Pat Doe" not in str(reads)
    bad_purpose = pair.mso.get(
        f"/forms/{form['id']}", headers={**AUDITOR, "X-Purpose-Of-Use": "curiosity"}
    )
    problem(bad_purpose, 422, "invalid-purpose-of-use")


def test_patient_data_is_never_logged(pair: Pair, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    site_id = site(pair)
    form = request(pair, site_id)
    through(pair, form["id"], "record-signature")
    pair.mso.get(f"/forms/{form['id']}", headers=SCHEDULER)
    pair.mso.post("/forms", json=form_body(site_id, due_on="2000-01-01"), headers=SCHEDULER)
    pair.mso.post(
        "/forms", json=form_body(site_id, patient={**PATIENT, "ssn": "1"}), headers=SCHEDULER
    )
    rows(pair)
    assert caplog.records, "the capture works"
    for secret in (PATIENT["name"], PATIENT["date_of_birth"], PATIENT["contact"]):
        assert secret not in caplog.text


def test_a_form_may_name_its_appointment_at_the_same_site(pair: Pair) -> None:
    site_id = propose_line(pair, live=True)
    authorization_id = request_authorization(pair, site_id)
    approved = pair.pc.post(
        f"/authorizations/{authorization_id}/approve",
        json={"effective_date": "2026-12-01", "basis": BASIS},
        headers=DIRECTOR,
    )
    assert approved.status_code == 200, approved.text
    pair.sync()
    booked = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
    assert booked.status_code == 201, booked.text
    appointment_id = booked.json()["id"]

    form = request(pair, site_id, appointment_id=appointment_id)
    assert form["appointment_id"] == appointment_id
    assert [r["id"] for r in rows(pair, appointment_id=appointment_id)] == [form["id"]]

    elsewhere = site(pair, "Westside MS")
    before = head(pair)
    wrong_site = pair.mso.post(
        "/forms", json=form_body(elsewhere, appointment_id=appointment_id), headers=SCHEDULER
    )
    assert problem(wrong_site, 422, "invalid-form-request")["field"] == "appointment_id"
    unknown = pair.mso.post(
        "/forms", json=form_body(site_id, appointment_id=CLINICIAN), headers=SCHEDULER
    )
    assert problem(unknown, 422, "invalid-form-request")["field"] == "appointment_id"
    other_line = pair.mso.post(
        "/forms",
        json=form_body(site_id, appointment_id=appointment_id, service_line="school_physical"),
        headers=SCHEDULER,
    )
    assert problem(other_line, 422, "invalid-form-request")["field"] == "service_line"
    not_an_appointment = pair.mso.post(
        "/forms", json=form_body(site_id, appointment_id=form["id"]), headers=SCHEDULER
    )
    problem(not_an_appointment, 422, "invalid-form-request")
    assert head(pair) == before


def test_overdue_lists_open_forms_past_their_due_date(pair: Pair) -> None:
    east, west = site(pair), site(pair, "Westside MS")
    received = iso(BASE - timedelta(days=10))

    def due(days: int) -> str:
        return (TODAY + timedelta(days=days)).isoformat()

    late_requested = request(pair, east, due_on=due(-3), received_at=received)
    late_prepared = request(pair, east, due_on=due(-1), received_at=received)
    through(pair, late_prepared["id"], "prepare")
    delivered = request(pair, east, due_on=due(-5), received_at=received)
    through(pair, delivered["id"], "deliver")
    cancelled = request(pair, east, due_on=due(-2), received_at=received)
    step(pair, cancelled["id"], "cancel", {"reason": "athlete withdrew"})
    not_yet = request(pair, east, due_on=due(2), received_at=received)
    late_west = request(pair, west, due_on=due(-3), received_at=received)
    through(pair, late_west["id"], "record-signature")

    today = rows(pair, "/forms/overdue", as_of=TODAY.isoformat())
    assert [(r["id"], r["days_overdue"]) for r in today] == [
        (late_requested["id"], 3),
        (late_prepared["id"], 1),
        (late_west["id"], 3),
    ]
    assert [r["id"] for r in rows(pair, "/forms/overdue", site_id=east)] == [
        late_requested["id"],
        late_prepared["id"],
    ], "as_of defaults to today"
    assert [r["id"] for r in rows(pair, "/forms/overdue", status="signed")] == [late_west["id"]]
    assert rows(pair, "/forms/overdue", service_line="school_physical") == []
    later = rows(pair, "/forms/overdue", as_of=due(3), site_id=east)
    assert [r["id"] for r in later] == [late_requested["id"], late_prepared["id"], not_yet["id"]]
    assert rows(pair, "/forms/overdue", as_of=due(-10)) == []
    refused = pair.mso.get("/forms/overdue", params={"status": "delivered"}, headers=AUDITOR)
    problem(refused, 422, "invalid-request")
    [late_row] = [r for r in rows(pair) if r["id"] == delivered["id"]]
    assert late_row["delivered_by_due_date"] is False


def test_illegal_steps_and_bad_input_are_refused_and_write_nothing(pair: Pair) -> None:
    site_id = site(pair)
    form = request(pair, site_id)
    url = f"/forms/{form['id']}"
    post = pair.mso.post
    before = head(pair)
    signature = {"clinician_id": CLINICIAN}
    assert (
        problem(
            post(f"{url}/record-signature", json=signature, headers=AS_SIGNER),
            409,
            "invalid-form-transition",
        )["current_status"]
        == "requested"
    )
    problem(
        post(f"{url}/deliver", json={"method": "email"}, headers=SCHEDULER),
        409,
        "invalid-form-transition",
    )
    problem(
        post(f"{url}/prepare", json={}, headers={**SCHEDULER, "If-Match": '"3"'}),
        412,
        "stale-version",
    )
    early = post(f"{url}/prepare", json={"at": iso(BASE - timedelta(days=3))}, headers=SCHEDULER)
    assert problem(early, 422, "step-time-out-of-order")["field"] == "at"
    problem(
        post("/forms/8d2e1c5b-3a4f-4e6d-9b7c-0a1b2c3d4e5f/prepare", json={}, headers=SCHEDULER),
        404,
        "form-not-found",
    )
    problem(pair.mso.get(f"/forms/{site_id}", headers=SCHEDULER), 404, "form-not-found")
    problem(post("/forms", json=form_body(CLINICIAN), headers=SCHEDULER), 404, "site-not-found")
    clinical = post(
        "/forms", json=form_body(site_id, patient={**PATIENT, "diagnosis": "x"}), headers=SCHEDULER
    )
    assert problem(clinical, 422, "invalid-request")["errors"][0]["field"] == (
        "body.patient.diagnosis"
    )
    overdue_at_birth = post(
        "/forms", json=form_body(site_id, due_on="2001-01-01"), headers=SCHEDULER
    )
    assert problem(overdue_at_birth, 422, "invalid-form-request")["field"] == "due_on"
    future = post(
        "/forms",
        json=form_body(site_id, received_at=iso(BASE + timedelta(days=1))),
        headers=SCHEDULER,
    )
    problem(future, 422, "step-time-in-future")
    problem(
        post("/forms", json=form_body(site_id, kind="mri"), headers=SCHEDULER),
        422,
        "invalid-request",
    )
    assert head(pair) == before

    through(pair, form["id"], "deliver")
    before = head(pair)
    problem(
        post(f"{url}/cancel", json={"reason": "late"}, headers=SCHEDULER),
        409,
        "invalid-form-transition",
    )
    problem(
        post(f"{url}/deliver", json={"method": "email"}, headers=SCHEDULER),
        409,
        "invalid-form-transition",
    )
    assert head(pair) == before


def test_mso_staff_record_a_signature_and_only_they_and_auditors_read_forms(pair: Pair) -> None:
    site_id = site(pair)
    form = request(pair, site_id)
    for role in ("mso_billing", "vendor", "medical_director", "physician", "auditor"):
        assert pair.mso.post("/forms", json=form_body(site_id), headers=auth(role)).status_code == (
            403
        ), role
        prepare = pair.mso.post(f"/forms/{form['id']}/prepare", json={}, headers=auth(role))
        assert prepare.status_code == 403, role
    for role in ("mso_billing", "vendor", "physician"):
        assert pair.mso.get(f"/forms/{form['id']}", headers=auth(role)).status_code == 403
        assert pair.mso.get("/forms", headers=auth(role)).status_code == 403
    assert pair.mso.get("/forms").status_code == 401
    assert pair.mso.get("/forms/overdue", headers=AUDITOR).status_code == 200


def test_a_request_replays_with_the_same_idempotency_key(pair: Pair) -> None:
    body = form_body(site(pair))
    headers = {**SCHEDULER, "Idempotency-Key": "form-1"}
    first = pair.mso.post("/forms", json=body, headers=headers)
    again = pair.mso.post("/forms", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = pair.mso.post("/forms", json={**body, "kind": "school_physical"}, headers=headers)
    problem(other, 422, "idempotency-key-reused")
    assert len(rows(pair)) == 1


def read_model(pair: Pair) -> list[dict[str, Any]]:
    table = pair.mso_runtime.store.metadata.tables["mso_forms"]
    with pair.mso_runtime.store.reader.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(table.c.position)).mappings()]


def test_lists_page_and_filter_and_rebuild_to_the_live_rows(pair: Pair) -> None:
    east, west = site(pair), site(pair, "Westside MS")
    days = [-9, -7, -5, -3]
    ids = [
        request(pair, east, received_at=iso(BASE + timedelta(days=d)), due_on=TODAY.isoformat())[
            "id"
        ]
        for d in days
    ]
    physical = request(
        pair,
        west,
        service_line="employment_physical",
        kind="employment_physical",
        requested_by={"kind": "employer", "name": "Acme Warehousing"},
        due_on=(TODAY + timedelta(days=20)).isoformat(),
    )["id"]
    through(pair, ids[0], "deliver")
    through(pair, ids[1], "prepare")
    step(pair, ids[2], "cancel", {"reason": "duplicate request"})

    pair.mso_runtime.projections.catch_up()
    page = pair.mso.get("/forms", params={"limit": 3}, headers=AUDITOR).json()
    assert [r["id"] for r in page["items"]] == ids[:3]
    rest = pair.mso.get("/forms", params={"cursor": page["next_cursor"]}, headers=AUDITOR).json()
    assert [r["id"] for r in rest["items"]] == [ids[3], physical]
    assert rest["next_cursor"] is None
    assert [r["id"] for r in rows(pair, site_id=west)] == [physical]
    assert [r["id"] for r in rows(pair, kind="employment_physical")] == [physical]
    assert [r["id"] for r in rows(pair, service_line="employment_physical")] == [physical]
    assert len(rows(pair, service_line="sports_clearance")) == 4
    assert [r["id"] for r in rows(pair, requester_kind="employer")] == [physical]
    assert [r["id"] for r in rows(pair, status="prepared")] == [ids[1]]
    assert [r["id"] for r in rows(pair, status="cancelled")] == [ids[2]]
    window = rows(
        pair,
        received_from=iso(BASE - timedelta(days=7)),
        received_before=iso(BASE - timedelta(days=3)),
    )
    assert [r["id"] for r in window] == [ids[1], ids[2]]
    due_later = rows(pair, due_from=(TODAY + timedelta(days=1)).isoformat())
    assert [r["id"] for r in due_later] == [physical]
    assert rows(pair, due_before=TODAY.isoformat()) == []
    problem(
        pair.mso.get("/forms", params={"status": "lost"}, headers=AUDITOR), 422, "invalid-request"
    )
    naive = pair.mso.get("/forms", params={"received_from": "2027-01-01T00:00:00"}, headers=AUDITOR)
    problem(naive, 422, "invalid-request")

    pair.sync()
    live = read_model(pair)
    assert len(live) == 5
    assert live[0]["turnaround_seconds"] is not None
    assert isinstance(live[0]["due_on"], date)
    pair.mso_runtime.projections.rebuild()
    assert read_model(pair) == live
