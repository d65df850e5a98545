"""What the clinician and supervision tests share: a clock, fixtures, steps over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.pc_governance.application import clock as pc_clock
from services.pc_governance.domain.clinician import Clinician
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair, service_pair

QUALITY = auth("pc_quality", "qa-kim")
PHYSICIAN = auth("physician", "dr-ray")
SERVICE = auth("service", "mso-ops")
TODAY = date(2027, 1, 4)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.set(TODAY)

    def set(self, day: date) -> None:
        self.monkeypatch.setattr(pc_clock, "today", lambda: day)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def pair(store_url: StoreUrl, clock: Clock) -> Iterator[Pair]:
    with service_pair(store_url) as the_pair:
        yield the_pair


def register(pair: Pair, npi: str, role: str = "physician", name: str = "Dr. Ada Ng") -> str:
    response = pair.pc.post(
        "/clinicians", json={"npi": npi, "name": name, "role": role}, headers=DIRECTOR
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def add_credential(
    pair: Pair,
    clinician_id: str,
    kind: str = "license",
    expires_on: date = TODAY + timedelta(days=400),
    number: str | None = None,
) -> str:
    response = pair.pc.post(
        f"/clinicians/{clinician_id}/credentials",
        json={
            "kind": kind,
            "number": number or f"{kind}-{expires_on.isoformat()}",
            "issuer": "CA MBC",
            "issued_on": "2020-01-01",
            "expires_on": expires_on.isoformat(),
        },
        headers=QUALITY,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def verify(pair: Pair, clinician_id: str, credential_id: str) -> dict[str, Any]:
    response = pair.pc.post(
        f"/clinicians/{clinician_id}/credentials/{credential_id}/verify",
        json={"source": "CA DCA BreEZe"},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def credentialed(
    pair: Pair, npi: str, role: str = "physician", license_expires: date | None = None
) -> tuple[str, str]:
    """An eligible clinician, and the id of their license."""
    clinician_id = register(pair, npi, role, name=f"Clinician {npi}")
    license_id = add_credential(
        pair, clinician_id, "license", license_expires or TODAY + timedelta(days=400)
    )
    verify(pair, clinician_id, license_id)
    if role in ("physician", "medical_director"):
        board = add_credential(pair, clinician_id, "board_certification")
        verify(pair, clinician_id, board)
    return clinician_id, license_id


def eligibility_messages(pair: Pair) -> list[dict[str, Any]]:
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    return [m["payload"] for m in feed["messages"] if m["type"] == "clinician.eligibility-changed"]


def sweep(pair: Pair, as_of: date, headers: dict[str, str] = DIRECTOR) -> dict[str, Any]:
    response = pair.pc.post(
        "/credentials/expirations", json={"as_of": as_of.isoformat()}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def read_models(pair: Pair) -> dict[str, list[Any]]:
    tables = pair.pc_runtime.store.metadata.tables
    with pair.pc_runtime.store.reader.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(tables[name]).order_by(tables[name].c.id))]
            for name in ("pc_clinicians", "pc_credentials", "pc_supervision_assignments")
        }


SIGNER_NPI = "1000000999"
SIGNER = str(Clinician.create_id(SIGNER_NPI))
"""A PC physician the tests of clinical acts (signatures, result releases) act as."""
AS_SIGNER = auth("physician", SIGNER)


def credentialed_signer(pair: Pair) -> str:
    """SIGNER registered, credentialed and eligible at the PC, and known so to the MSO."""
    clinician_id, _ = credentialed(pair, SIGNER_NPI)
    pair.sync()
    return clinician_id
