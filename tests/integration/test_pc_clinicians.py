"""Clinicians and credentials over HTTP, on each backend: eligibility, expiry, alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import auth
from tests.integration.clinician_helpers import (
    PHYSICIAN,
    QUALITY,
    TODAY,
    Clock,
    add_credential,
    clock,
    credentialed,
    eligibility_messages,
    pair,
    read_models,
    register,
    sweep,
    verify,
)
from tests.integration.conftest import DIRECTOR
from tests.integration.pages import every_page
from tests.integration.services import Pair

__all__ = ["clock", "pair"]  # fixtures


def test_a_clinician_is_eligible_once_every_required_credential_is_verified(pair: Pair) -> None:
    clinician_id = register(pair, "1000000001")
    got = pair.pc.get(f"/clinicians/{clinician_id}", headers=PHYSICIAN)
    assert got.json()["status"] == "credentialing"
    assert got.json()["eligible"] is False
    assert got.headers["ETag"] == '"1"'

    license_id = add_credential(pair, clinician_id, "license")
    after_license = verify(pair, clinician_id, license_id)
    assert after_license["eligible"] is False, "a physician also needs board certification"
    [license] = after_license["credentials"]
    assert license["status"] == "verified"
    assert license["verification"] == {
        "verified_by": "dr-lee",
        "verified_role": "medical_director",
        "source": "CA DCA BreEZe",
        "verified_on": TODAY.isoformat(),
    }
    dea = add_credential(pair, clinician_id, "dea")  # never verified: neither counts nor blocks
    board = add_credential(pair, clinician_id, "board_certification")
    eligible = verify(pair, clinician_id, board)
    assert eligible["eligible"] is True
    assert eligible["status"] == "eligible"
    assert eligible["eligibility_reason"] == "credential_verified"
    assert {c["id"]: c["status"] for c in eligible["credentials"]}[dea] == "unverified"

    messages = eligibility_messages(pair)
    assert [(m["eligible"], m["reason"]) for m in messages] == [
        (False, "registered"),
        (True, "credential_verified"),
    ]
    assert set(messages[0]) == {
        "clinician_id",
        "name",
        "role",
        "eligible",
        "reason",
        "effective_at",
        "eligibility_lapses_on",
    }, "status only: no credential details leave the PC"
    assert messages[0]["eligibility_lapses_on"] is None, "not eligible: nothing to lapse"
    assert messages[1]["clinician_id"] == clinician_id
    assert messages[1]["role"] == "physician"
    # the earliest expiry of the verified credentials (license, board), not the unverified DEA
    assert messages[1]["eligibility_lapses_on"] == (TODAY + timedelta(days=400)).isoformat()


def test_an_app_needs_only_a_license(pair: Pair) -> None:
    app_id, _ = credentialed(pair, "2000000001", "np")
    assert pair.pc.get(f"/clinicians/{app_id}", headers=DIRECTOR).json()["eligible"] is True


def test_the_expiry_sweep_removes_eligibility_once_and_a_renewal_restores_it(
    pair: Pair, clock: Clock
) -> None:
    clinician_id, license_id = credentialed(
        pair, "1000000002", license_expires=TODAY + timedelta(days=10)
    )
    other_id, _ = credentialed(pair, "1000000003")
    assert sweep(pair, TODAY) == {
        "as_of": TODAY.isoformat(),
        "expired": [],
        "no_longer_eligible": [],
    }

    later = TODAY + timedelta(days=11)
    clock.set(later)
    swept = sweep(pair, later, headers=QUALITY)
    assert swept["expired"] == [
        {
            "clinician_id": clinician_id,
            "credential_id": license_id,
            "kind": "license",
            "expires_on": (TODAY + timedelta(days=10)).isoformat(),
        }
    ]
    assert swept["no_longer_eligible"] == [clinician_id]
    head = pair.pc_runtime.application.head_position()
    assert sweep(pair, later)["expired"] == [], "a credential is recorded expired once"
    assert pair.pc_runtime.application.head_position() == head

    lapsed = pair.pc.get(f"/clinicians/{clinician_id}", headers=DIRECTOR).json()
    assert (lapsed["status"], lapsed["eligible"]) == ("ineligible", False)
    assert lapsed["eligibility_reason"] == "credential_expired"
    assert pair.pc.get(f"/clinicians/{other_id}", headers=DIRECTOR).json()["eligible"] is True

    url = f"/clinicians/{clinician_id}/credentials/{license_id}"
    out_of_date = pair.pc.post(f"{url}/verify", json={"source": "x"}, headers=DIRECTOR)
    assert out_of_date.status_code == 409
    assert out_of_date.json()["type"] == "/problems/invalid-credential-transition"
    renewed = pair.pc.post(
        f"{url}/renew",
        json={"expires_on": "2029-01-31", "source": "CA DCA BreEZe renewal"},
        headers=DIRECTOR,
    )
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["eligible"] is True
    assert renewed.json()["eligibility_reason"] == "credential_renewed"

    messages = [(m["clinician_id"], m["eligible"], m["reason"]) for m in eligibility_messages(pair)]
    assert messages[-2:] == [
        (clinician_id, False, "credential_expired"),
        (clinician_id, True, "credential_renewed"),
    ]


def test_a_sweep_cannot_run_ahead_of_today(pair: Pair) -> None:
    head = pair.pc_runtime.application.head_position()
    response = pair.pc.post(
        "/credentials/expirations",
        json={"as_of": (TODAY + timedelta(days=1)).isoformat()},
        headers=DIRECTOR,
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/sweep-date-in-future"
    assert pair.pc_runtime.application.head_position() == head


def test_expiry_alerts_list_credentials_within_90_60_30_days_and_those_expired(
    pair: Pair,
) -> None:
    ada = register(pair, "1000000004", name="Ada")
    bo = register(pair, "2000000004", "pa", name="Bo")
    offsets = {"expired": -5, "within_30": 10, "within_60": 45, "within_90": 75, None: 200}
    ids = {}
    for alert, days in offsets.items():
        ids[alert] = add_credential(pair, ada, "license", TODAY + timedelta(days=days))
    bo_dea = add_credential(pair, bo, "dea", TODAY + timedelta(days=20))
    pair.sync()

    def expiring(**params: Any) -> list[dict[str, Any]]:
        response = pair.pc.get("/credentials/expiring", params=params, headers=PHYSICIAN)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    assert [r["id"] for r in expiring(within=30)] == [ids["expired"], ids["within_30"], bo_dea]
    assert [r["id"] for r in expiring(within=60)] == [
        ids["expired"],
        ids["within_30"],
        ids["within_60"],
        bo_dea,
    ]
    window = expiring()
    assert {r["id"]: r["alert"] for r in window} == {
        ids["expired"]: "expired",
        ids["within_30"]: "within_30",
        ids["within_60"]: "within_60",
        ids["within_90"]: "within_90",
        bo_dea: "within_30",
    }
    assert {r["id"]: r["days_left"] for r in window}[ids["expired"]] == -5
    assert window[0]["clinician_name"] == "Ada"
    assert [r["id"] for r in expiring(clinician_id=bo)] == [bo_dea]
    assert [r["id"] for r in expiring(kind="dea")] == [bo_dea]
    assert [r["id"] for r in expiring(kind="license", within=30)] == [
        ids["expired"],
        ids["within_30"],
    ]
    assert expiring(status="verified") == []

    seen = every_page(pair.pc, "/credentials/expiring", DIRECTOR, limit=2)
    assert [r["id"] for r in seen] == [r["id"] for r in window]
    bad = pair.pc.get("/credentials/expiring", params={"within": 400}, headers=DIRECTOR)
    assert bad.status_code == 422


def test_clinicians_are_listed_by_role_and_eligibility(pair: Pair) -> None:
    physician, _ = credentialed(pair, "1000000005")
    np_id = register(pair, "2000000005", "np")
    pa_id, _ = credentialed(pair, "3000000005", "pa")
    pair.sync()

    def ids(**params: Any) -> list[str]:
        response = pair.pc.get("/clinicians", params=params, headers=auth("auditor"))
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["items"]]

    assert ids() == [physician, np_id, pa_id]
    assert ids(role="np") == [np_id]
    assert ids(eligible=True) == [physician, pa_id]
    assert ids(eligible=False) == [np_id]
    assert ids(role="pa", eligible=True) == [pa_id]
    first = pair.pc.get("/clinicians", params={"limit": 2}, headers=DIRECTOR).json()
    assert [r["id"] for r in first["items"]] == [physician, np_id]
    rest = pair.pc.get(
        "/clinicians", params={"limit": 2, "cursor": first["next_cursor"]}, headers=DIRECTOR
    ).json()
    assert [r["id"] for r in rest["items"]] == [pa_id]
    assert rest["next_cursor"] is None
    assert pair.pc.get("/clinicians", params={"role": "nurse"}, headers=DIRECTOR).status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"npi": "1", "name": "A"}, "role"),
        ({"npi": "1", "name": "A", "role": "surgeon"}, "role"),
        ({"npi": "1", "name": "A" * 201, "role": "np"}, "name"),
        ({"npi": "1 2", "name": "A", "role": "np"}, "npi"),
        ({"npi": "1", "name": "A", "role": "np", "license": "x"}, "license"),
    ],
)
def test_bad_registrations_name_the_field_and_write_nothing(
    pair: Pair, body: dict[str, Any], field: str
) -> None:
    head = pair.pc_runtime.application.head_position()
    response = pair.pc.post("/clinicians", json=body, headers=DIRECTOR)
    assert response.status_code == 422
    assert field in response.text
    assert pair.pc_runtime.application.head_position() == head


def test_bad_credentials_are_refused_and_write_nothing(pair: Pair) -> None:
    clinician_id = register(pair, "1000000006")
    url = f"/clinicians/{clinician_id}/credentials"
    good = {
        "kind": "license",
        "number": "A1",
        "issuer": "CA MBC",
        "issued_on": "2024-01-01",
        "expires_on": "2028-01-01",
    }
    head = pair.pc_runtime.application.head_position()
    backwards = pair.pc.post(url, json={**good, "expires_on": "2023-01-01"}, headers=DIRECTOR)
    assert backwards.status_code == 422
    assert backwards.json()["type"] == "/problems/invalid-credential"
    for bad, field in [({"kind": "cpr"}, "kind"), ({"number": "9" * 65}, "number")]:
        response = pair.pc.post(url, json={**good, **bad}, headers=DIRECTOR)
        assert response.status_code == 422
        assert field in response.text
    missing = pair.pc.post(
        "/clinicians/00000000-0000-0000-0000-000000000000/credentials", json=good, headers=DIRECTOR
    )
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/clinician-not-found"
    assert pair.pc_runtime.application.head_position() == head

    assert pair.pc.post(url, json=good, headers=DIRECTOR).status_code == 201
    again = pair.pc.post(url, json=good, headers=DIRECTOR)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/credential-already-on-file"


def test_a_second_registration_of_an_npi_is_a_conflict(pair: Pair) -> None:
    register(pair, "1000000007")
    again = pair.pc.post(
        "/clinicians", json={"npi": "1000000007", "name": "B", "role": "pa"}, headers=DIRECTOR
    )
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/clinician-already-registered"


def test_only_the_credentialing_roles_decide(pair: Pair) -> None:
    body = {"npi": "1000000008", "name": "A", "role": "np"}
    for role in ("physician", "app", "pc_quality", "mso_admin", "auditor"):
        response = pair.pc.post("/clinicians", json=body, headers=auth(role))
        assert response.status_code == 403, role
    clinician_id = register(pair, "1000000008", "np")
    credential_id = add_credential(pair, clinician_id)  # pc_quality keeps the file
    url = f"/clinicians/{clinician_id}/credentials/{credential_id}"
    for role in ("pc_quality", "physician", "app"):
        for step, body2 in (
            ("verify", {"source": "x"}),
            ("renew", {"expires_on": "2030-01-01", "source": "x"}),
        ):
            assert pair.pc.post(f"{url}/{step}", json=body2, headers=auth(role)).status_code == 403
    refused = pair.pc.post(
        "/credentials/expirations", json={"as_of": TODAY.isoformat()}, headers=PHYSICIAN
    )
    assert refused.status_code == 403
    assert pair.pc.get("/clinicians", headers=auth("mso_admin")).status_code == 403


def test_illegal_steps_conflict_and_stale_versions_are_refused(pair: Pair) -> None:
    clinician_id = register(pair, "1000000009", "pa")
    credential_id = add_credential(pair, clinician_id)
    url = f"/clinicians/{clinician_id}/credentials/{credential_id}"
    stale = pair.pc.post(
        f"{url}/verify", json={"source": "NCCPA"}, headers={**DIRECTOR, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    current = pair.pc.get(url, headers=DIRECTOR)
    assert current.json()["status"] == "unverified"
    ok = pair.pc.post(
        f"{url}/verify",
        json={"source": "NCCPA"},
        headers={**DIRECTOR, "If-Match": current.headers["ETag"]},
    )
    assert ok.status_code == 200, ok.text
    twice = pair.pc.post(f"{url}/verify", json={"source": "NCCPA"}, headers=DIRECTOR)
    assert twice.status_code == 409
    assert twice.json()["type"] == "/problems/invalid-credential-transition"
    shorter = pair.pc.post(
        f"{url}/renew", json={"expires_on": "2027-02-01", "source": "x"}, headers=DIRECTOR
    )
    assert shorter.status_code == 422
    assert shorter.json()["type"] == "/problems/invalid-credential"
    unknown = pair.pc.post(
        f"/clinicians/{clinician_id}/credentials/{clinician_id}/verify",
        json={"source": "x"},
        headers=DIRECTOR,
    )
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "/problems/credential-not-found"


def test_a_credential_added_with_an_idempotency_key_is_added_once(pair: Pair) -> None:
    clinician_id = register(pair, "1000000010")
    body = {
        "kind": "dea",
        "number": "FN1234563",
        "issuer": "DEA",
        "issued_on": "2025-01-01",
        "expires_on": "2028-01-01",
    }
    headers = {**QUALITY, "Idempotency-Key": "dea-1"}
    url = f"/clinicians/{clinician_id}/credentials"
    first = pair.pc.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == f"{url}/{first.json()['id']}"
    again = pair.pc.post(url, json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    clinician = pair.pc.get(f"/clinicians/{clinician_id}", headers=DIRECTOR).json()
    assert len(clinician["credentials"]) == 1


def test_the_read_models_rebuilt_from_zero_equal_the_live_ones(pair: Pair, clock: Clock) -> None:
    physician, license_id = credentialed(pair, "1000000011", license_expires=TODAY)
    credentialed(pair, "2000000011", "np")
    register(pair, "3000000011", "pa")
    clock.set(TODAY + timedelta(days=2))
    sweep(pair, TODAY + timedelta(days=1))
    pair.pc.post(
        f"/clinicians/{physician}/credentials/{license_id}/renew",
        json={"expires_on": "2030-01-01", "source": "MBC"},
        headers=DIRECTOR,
    )
    pair.sync()
    live = read_models(pair)
    assert len(live["pc_credentials"]) == 3
    pair.pc_runtime.projections.rebuild()
    assert read_models(pair) == live
