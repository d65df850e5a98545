"""Clinical acts only by the PC's people (docs/adr/0019).

A form's signature and a result's release are recorded only by the PC clinician
themselves (a PC-role token whose subject is their PC clinician id), and only while the
PC's feed holds them eligible; the MSO records no clinical act on anyone's behalf.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import StoreUrl, auth
from tests.integration.clinician_helpers import (
    AS_SIGNER,
    SIGNER,
    credentialed,
    credentialed_signer,
    register,
)
from tests.integration.services import Pair, service_pair
from tests.integration.test_mso_forms import BASE, iso, request, site
from tests.integration.test_mso_forms import step as form_step
from tests.integration.test_mso_lab import hours, pickup, run, travelled
from tests.integration.test_mso_lab import step as lab_step

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

SCHEDULER = auth("mso_scheduler", "sam")
ADMIN = auth("mso_admin", "ann")


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        credentialed_signer(services)
        yield services


def prepared_form(pair: Pair) -> str:
    form = request(pair, site(pair))
    form_step(pair, form["id"], "prepare", {"at": iso(BASE)})
    return str(form["id"])


def sign(pair: Pair, form_id: str, headers: dict[str, str], **body: Any) -> Any:
    return pair.mso.post(f"/forms/{form_id}/record-signature", json=body, headers=headers)


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.json()["type"] == f"/problems/{code}", response.text
    return dict(response.json())


def version(pair: Pair, form_id: str) -> str:
    return str(pair.mso.get(f"/forms/{form_id}", headers=ADMIN).headers["ETag"])


def test_only_an_eligible_pc_clinician_signs_and_only_for_themselves(pair: Pair) -> None:
    form_id = prepared_form(pair)
    before = version(pair, form_id)
    for role in ("mso_admin", "mso_scheduler", "auditor", "vendor", "service", "pc_quality"):
        problem(sign(pair, form_id, auth(role), clinician_id=SIGNER), 403, "forbidden")
    stranger = str(uuid.uuid4())
    refused = problem(
        sign(pair, form_id, auth("physician", stranger)), 422, "clinician-not-credentialed"
    )
    assert stranger in refused["detail"]
    problem(sign(pair, form_id, AS_SIGNER, clinician_id=stranger), 403, "not-this-clinician")
    problem(sign(pair, form_id, auth("physician", "dr-lee")), 403, "not-this-clinician")
    assert version(pair, form_id) == before, "nothing written"

    signed = sign(pair, form_id, AS_SIGNER, signed_at=iso(BASE))
    assert signed.status_code == 200, signed.text
    assert (signed.json()["status"], signed.json()["signed_by"]) == ("signed", SIGNER)


def test_a_clinician_the_pc_does_not_hold_eligible_neither_signs_nor_takes_results(
    pair: Pair,
) -> None:
    registered_only = register(pair, "1000000998", name="Dr. Not Yet")
    pair.sync()  # the PC publishes the registration: not eligible
    form_id = prepared_form(pair)
    refused = problem(
        sign(pair, form_id, auth("physician", registered_only)), 409, "clinician-not-eligible"
    )
    assert refused["clinician_id"] == registered_only

    site_id = site(pair)
    specimen_id = pickup(pair, site_id, "EHS-1", hours(-10))["id"]
    travelled(pair, run(pair, site_id, specimen_id)["id"], hours(-8), hours(-6))
    lab_step(pair, f"/lab/specimens/{specimen_id}/receive-result", {"at": iso(hours(-2))})
    url = f"/lab/specimens/{specimen_id}/release-result"
    problem(
        pair.mso.post(url, json={}, headers=auth("physician", registered_only)),
        409,
        "clinician-not-eligible",
    )
    problem(pair.mso.post(url, json={}, headers=SCHEDULER), 403, "forbidden")
    released = pair.mso.post(url, json={}, headers=AS_SIGNER)
    assert released.status_code == 200, released.text
    assert released.json()["released_to"] == SIGNER


def test_an_app_signs_under_an_app_token(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        np_id, _ = credentialed(pair, "2000000998", "np")
        pair.sync()
        form_id = prepared_form(pair)
        signed = sign(pair, form_id, auth("app", np_id))
        assert signed.status_code == 200, signed.text
        assert signed.json()["signed_by"] == np_id
