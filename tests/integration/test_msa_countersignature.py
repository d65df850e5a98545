"""The MSA has two sides, on each backend: a fee schedule version takes effect for
invoices only once the PC has countersigned it; a declined one never does."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.persistence import Tracking

from services.mso_ops.application import clock as mso_clock
from services.pc_governance.inbound import SUBSCRIPTION
from tests.conftest import auth
from tests.integration.conftest import AUDITOR
from tests.integration.msa_helpers import (
    HYBRID,
    PHYSICIAN,
    collections,
    invoiced,
    issue,
    pc_feed,
)
from tests.integration.mso_billing_helpers import (
    BILLING,
    MEDICAL_DIRECTOR,
    SERVICE,
    add_version,
    answer_version,
    pair,
)
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["pair"]  # fixture


def test_a_version_is_used_only_once_countersigned_and_never_once_declined(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    collections(pair)
    first = add_version(pair, "2026-12-01", countersign=False)
    assert first.json()["status"] == "proposed"
    refused = issue(pair, "2027-01")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/fee-schedule-not-countersigned"
    assert refused.json()["schedule_version"] == 1
    pair.sync()
    proposals = pair.pc.get("/msa/fee-schedule/versions", headers=PHYSICIAN).json()["items"]
    assert [(p["schedule_version"], p["status"]) for p in proposals] == [(1, "proposed")]
    version_one = pair.pc.get("/msa/fee-schedule/versions/1", headers=AUDITOR)
    assert version_one.json()["terms"] == {"monthly_amount": "15000.00"}
    assert version_one.json()["fmv_basis"]["assessed_by"] == "Valuation Partners LLC"

    countersign = "/msa/fee-schedule/versions/1/countersign"
    signs = {"effective_from": "2026-12-01"}
    for role in ("physician", "pc_quality", "auditor", "mso_billing"):
        assert pair.pc.post(countersign, json=signs, headers=auth(role)).status_code == 403, role
    other_day = pair.pc.post(
        countersign, json={"effective_from": "2027-01-01"}, headers=MEDICAL_DIRECTOR
    )
    assert other_day.status_code == 422, "a countersignature names the day it signs"
    assert (
        pair.pc.post(
            "/msa/fee-schedule/versions/1/decline", json={}, headers=MEDICAL_DIRECTOR
        ).status_code
        == 422
    )
    assert (
        pair.pc.post(
            "/msa/fee-schedule/versions/9/countersign", json=signs, headers=MEDICAL_DIRECTOR
        ).status_code
        == 404
    )
    signed = answer_version(pair, 1, "countersign")
    assert (signed["status"], signed["answer"]["answered_by_role"]) == (
        "countersigned",
        "medical_director",
    )
    again = pair.pc.post(countersign, json=signs, headers=MEDICAL_DIRECTOR)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/fee-schedule-proposal-answered"
    at_mso = pair.mso.get("/billing/fee-schedule/versions/1", headers=AUDITOR).json()
    assert at_mso["status"] == "countersigned"
    assert at_mso["pc_answer"]["decision_id"] == signed["answer"]["decision_id"]
    assert invoiced(pair, "2027-01")["schedule_version"] == 1

    assert add_version(pair, "2027-02-01", "hybrid", HYBRID, countersign=False).status_code == 201
    waiting = issue(pair, "2027-02")
    assert waiting.status_code == 409, "version 2 is in force in February but not countersigned"
    assert waiting.json()["type"] == "/problems/fee-schedule-not-countersigned"
    in_force = pair.mso.get(
        "/billing/fee-schedule/in-force", params={"month": "2027-02"}, headers=AUDITOR
    )
    assert in_force.status_code == 409
    answer_version(pair, 2, "countersign", note="FMV opinion reviewed")
    february = invoiced(pair, "2027-02")
    assert (february["schedule_version"], february["fee"]) == (2, "12000.00")

    assert add_version(pair, "2027-03-01", countersign=False).status_code == 201
    declined = answer_version(pair, 3, "decline", reason="no FMV support for the raise")
    assert (declined["status"], declined["answer"]["reason"]) == (
        "declined",
        "no FMV support for the raise",
    )
    monkeypatch.setattr(mso_clock, "today", lambda: date(2027, 4, 15))
    march = invoiced(pair, "2027-03")
    assert march["schedule_version"] == 2, "the declined version is passed over"
    rows = pair.mso.get("/billing/fee-schedule/versions", headers=AUDITOR).json()["items"]
    assert [(r["number"], r["status"]) for r in rows] == [
        (1, "countersigned"),
        (2, "countersigned"),
        (3, "declined"),
    ]
    declined_only = pair.mso.get(
        "/billing/fee-schedule/versions", params={"status": "declined"}, headers=AUDITOR
    ).json()["items"]
    assert [r["number"] for r in declined_only] == [3]
    messages = pc_feed(pair, "msa-fee-schedule.answered")
    assert [(m["payload"]["schedule_version"], m["payload"]["answer"]) for m in messages] == [
        (1, "countersigned"),
        (2, "countersigned"),
        (3, "declined"),
    ]


def test_a_declined_only_schedule_leaves_no_version_in_force(pair: Pair) -> None:
    assert add_version(pair, "2026-12-01", countersign=False).status_code == 201
    answer_version(pair, 1, "decline", reason="not at fair market value")
    refused = issue(pair, "2027-01")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/no-fee-schedule-in-force"
    in_force = pair.mso.get(
        "/billing/fee-schedule/in-force", params={"month": "2027-01"}, headers=AUDITOR
    )
    assert in_force.status_code == 404


def test_a_version_the_pc_never_received_is_proposed_again(pair: Pair) -> None:
    """Versions recorded before proposals were published: the PC's follower passed their
    positions long ago. The MSO publishes such a version again, and the PC answers it."""
    assert add_version(pair, "2026-12-01", countersign=False).status_code == 201
    feed = pair.mso.get("/contracts/v1/feed", params={"limit": 100}, headers=SERVICE).json()
    [proposal] = [m for m in feed["messages"] if m["type"] == "msa-fee-schedule.proposed"]
    pc_app = pair.pc_runtime.application
    pc_app.skip_message(
        Tracking(application_name=SUBSCRIPTION, notification_id=proposal["position"])
    )
    pair.sync()
    missing = pair.pc.get("/msa/fee-schedule/versions/1", headers=MEDICAL_DIRECTOR)
    assert missing.status_code == 404
    assert issue(pair, "2027-01").json()["type"] == "/problems/fee-schedule-not-countersigned"

    resend = "/billing/fee-schedule/versions/1/proposal"
    assert pair.mso.post(resend, headers=auth("mso_scheduler")).status_code == 403
    assert (
        pair.mso.post("/billing/fee-schedule/versions/5/proposal", headers=BILLING).status_code
        == 404
    )
    stale = pair.mso.post(resend, headers={**BILLING, "If-Match": '"1"'})
    assert stale.status_code == 412
    again = pair.mso.post(resend, headers={**BILLING, "If-Match": '"2"'})
    assert again.status_code == 200, again.text
    assert (again.json()["number"], again.json()["status"]) == (1, "proposed")
    answer_version(pair, 1, "countersign")
    assert invoiced(pair, "2027-01")["schedule_version"] == 1
    answered = pair.mso.post(resend, headers=BILLING)
    assert answered.status_code == 409
    assert answered.json()["type"] == "/problems/fee-schedule-answer-conflict"
