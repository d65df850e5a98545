"""Credentials lapse on their date without anyone calling anything (docs/adr/0019).

PC Governance sweeps by itself once a day (its periodic work) and publishes the lapse;
the MSO judges a day by the lapse day the PC published, even before the lapse arrives.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from mhg.settings import PcGovernanceSettings
from services.pc_governance.app import create_app as pc_governance_app
from tests.conftest import SECRET, StoreUrl, auth
from tests.integration.clinician_helpers import (
    DIRECTOR,
    TODAY,
    Clock,
    clock,
    credentialed,
    eligibility_messages,
    pair,
)
from tests.integration.services import Pair
from tests.integration.test_mso_forms import request
from tests.integration.test_mso_forms import site as form_site
from tests.integration.test_mso_forms import step as form_step
from tests.integration.test_mso_staffing import (
    SHIFT_DAY,
    assign,
    gaps,
    on_staff,
    reasons,
    schedule,
    site,
)

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["clock", "pair"]  # fixtures


def clinician(pair: Pair, clinician_id: str) -> dict[str, object]:
    response = pair.pc.get(f"/clinicians/{clinician_id}", headers=DIRECTOR)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_pc_lapses_a_due_credential_by_itself_once_a_day(pair: Pair, clock: Clock) -> None:
    lapse = TODAY + timedelta(days=10)
    doctor, license_id = credentialed(pair, "1000000401", license_expires=lapse)
    other, _ = credentialed(pair, "1000000402")
    lapses = {m["clinician_id"]: m["eligibility_lapses_on"] for m in eligibility_messages(pair)}
    assert lapses[doctor] == lapse.isoformat(), "the PC publishes the day eligibility lapses"

    pair.pc_runtime.run_chores()  # today: nothing is due
    assert clinician(pair, doctor)["eligible"] is True
    clock.set(lapse)
    pair.pc_runtime.run_chores()
    assert clinician(pair, doctor)["eligible"] is True, "valid through its expiry day at the PC"

    clock.set(lapse + timedelta(days=1))
    pair.pc_runtime.run_chores()
    lapsed = clinician(pair, doctor)
    assert (lapsed["eligible"], lapsed["eligibility_reason"]) == (False, "credential_expired")
    assert {c["id"]: c["status"] for c in lapsed["credentials"]}[license_id] == "expired"
    assert clinician(pair, other)["eligible"] is True
    last = eligibility_messages(pair)[-1]
    assert (last["clinician_id"], last["eligible"], last["reason"]) == (
        doctor,
        False,
        "credential_expired",
    )
    assert last["eligibility_lapses_on"] is None

    head = pair.pc_runtime.application.head_position()
    pair.pc_runtime.run_chores()
    assert pair.pc_runtime.application.head_position() == head, "once a day"
    pair.sync()
    known = pair.mso.get("/clinician-eligibility", headers=auth("mso_admin", "ann")).json()
    assert {c["clinician_id"]: c["eligible"] for c in known["items"]}[doctor] is False


def test_the_running_service_sweeps_in_the_background(store_url: StoreUrl, clock: Clock) -> None:
    settings = PcGovernanceSettings(
        database_url=store_url("pc_governance"),
        auth_secret=SECRET,
        follow_peer=False,
        run_projections=False,
        seal=False,
        poll_interval=0.05,
    )
    with TestClient(pc_governance_app(settings)) as pc:
        pair = Pair(mso=pc, pc=pc)  # only the PC's half is used
        doctor, _ = credentialed(pair, "1000000403", license_expires=TODAY + timedelta(days=2))
        clock.set(TODAY + timedelta(days=3))
        deadline = time.monotonic() + 20
        while clinician(pair, doctor)["eligible"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert clinician(pair, doctor)["eligibility_reason"] == "credential_expired"


def test_the_mso_relies_on_a_clinician_only_before_the_lapse_day(pair: Pair) -> None:
    lapse = SHIFT_DAY + timedelta(days=1)
    doctor, _ = credentialed(pair, "1000000404", license_expires=lapse)
    pair.sync()  # eligible, lapsing on `lapse`; no lapse has been swept or sent
    clinic = site(pair)
    staff = on_staff(pair, doctor)
    before = schedule(pair, clinic, day=SHIFT_DAY)
    on_the_day = schedule(pair, clinic, day=lapse)
    after = schedule(pair, clinic, day=lapse + timedelta(days=7))
    assert assign(pair, before["id"], staff)["coverage"]["covered"] is True
    for shift in (on_the_day, after):
        judged = assign(pair, shift["id"], staff)["coverage"]
        assert judged["covered"] is False
        assert judged["shortfalls"][-1] == {
            "reason": "clinician_not_eligible",
            "clinician_id": doctor,
            "detail": f"their credentials lapse on {lapse.isoformat()}",
        }
    pair.sync()
    assert sorted(g["shift_id"] for g in gaps(pair)) == sorted([on_the_day["id"], after["id"]])
    assert ("clinician_not_eligible", doctor) in reasons(gaps(pair)[0])


def test_a_clinical_act_on_or_after_the_lapse_day_is_refused(pair: Pair, clock: Clock) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clock.set(now.date() - timedelta(days=30))  # credentialed while the license was current
    doctor, _ = credentialed(pair, "1000000405", license_expires=now.date())
    pair.sync()  # eligible at the MSO, lapsing today; no lapse has been swept or sent
    form = request(pair, form_site(pair))
    form_step(pair, form["id"], "prepare", {"at": (now - timedelta(hours=36)).isoformat()})
    as_doctor = auth("physician", doctor)
    url = f"/forms/{form['id']}/record-signature"
    today = pair.mso.post(url, json={}, headers=as_doctor)
    assert today.status_code == 409, today.text
    assert today.json()["type"] == "/problems/clinician-not-eligible"
    yesterday = (now - timedelta(hours=26)).isoformat()
    signed = pair.mso.post(url, json={"signed_at": yesterday}, headers=as_doctor)
    assert signed.status_code == 200, signed.text
