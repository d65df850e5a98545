"""Releasing medical records at MSO Operations, over HTTP: only under the PC's records
policy in force, to a recipient it names, due within its turnaround, citing its version;
refused without a policy, for another recipient or an unknown appointment, writing nothing."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import auth
from tests.integration.conftest import SCHEDULER
from tests.integration.policy_feed import records_policy
from tests.integration.scheduling_helpers import (
    authorized_site,
    book,
    clock,
    create_schedule,
    find,
    pair,
    publish,
)
from tests.integration.services import Pair
from tests.integration.template_feed import deliver
from tests.integration.test_pc_protocols import problem

__all__ = ["clock", "pair"]  # fixtures

BILLING = auth("mso_billing", "bo")


def appointment(pair: Pair) -> str:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id)
    publish(pair, schedule["id"])
    booked = book(pair, find(pair, site=site_id)[0]["id"])
    assert booked.status_code == 201, booked.text
    return str(booked.json()["id"])


def release(pair: Pair, appointment_id: str, **changes: Any) -> Any:
    body = {
        "appointment_id": appointment_id,
        "recipient": "School Athletic Department",
        "authorization_reference": "Guardian authorization 2027-031",
        **changes,
    }
    return pair.mso.post("/records-releases", json=body, headers=SCHEDULER)


def test_records_are_released_under_the_policy_in_force(pair: Pair) -> None:
    appointment_id = appointment(pair)
    head = pair.mso_runtime.application.head_position()
    problem(release(pair, appointment_id), 409, "clinical-policy-not-in-force")
    assert pair.mso_runtime.application.head_position() == head

    message = records_policy()
    deliver(pair, message)
    made = release(pair, appointment_id)
    assert made.status_code == 201, made.text
    shown = pair.mso.get(made.headers["Location"], headers=BILLING).json()
    assert shown["recipient"] == "school athletic department"  # as the policy names it
    assert shown["authorization_required"] == "signed parent or guardian authorization"
    assert (shown["requested_on"], shown["due_on"]) == ("2027-01-04", "2027-01-09")
    assert shown["policy"]["document_id"] == str(message.document_id)
    assert shown["policy"]["version"] == 1


def test_a_release_the_policy_does_not_allow_is_refused(pair: Pair) -> None:
    appointment_id = appointment(pair)
    deliver(pair, records_policy())
    head = pair.mso_runtime.application.head_position()
    stranger = release(pair, appointment_id, recipient="a newspaper")
    body = problem(stranger, 422, "records-recipient-not-permitted")
    assert "school athletic department" in body["detail"]
    problem(release(pair, str(uuid.uuid4())), 422, "invalid-records-release")
    assert release(pair, appointment_id, recipient="x" * 101).status_code == 422
    assert pair.mso_runtime.application.head_position() == head
    denied = pair.mso.post(
        "/records-releases",
        json={"appointment_id": appointment_id, "recipient": "a", "authorization_reference": "b"},
        headers=BILLING,
    )
    assert denied.status_code == 403
    assert release(pair, appointment_id).status_code == 201
