"""Steps the clinical-supply contract tests share: the changes, offers and refusals."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import ADMIN, AUDITOR
from tests.integration.facility_helpers import contract_body
from tests.integration.services import Pair
from tests.integration.site_helpers import ok

LAB = {"aspect": "lab_vendor", "proposed": "Quest", "description": "Faster turnaround"}
SUPPLIES = {"aspect": "clinical_supplies", "proposed": "Henry Schein", "description": "Cheaper"}
RENEWAL = {"term_end": "2028-12-31", "renewal_date": "2028-10-01"}


def offer(pair: Pair, vendor_id: str, sites: list[str], changes: list[str], **extra: Any) -> Any:
    """Ask the MSO to record a reference-lab contract on `changes` (the response)."""
    body = contract_body(
        vendor_id, supplies="reference_lab", site_ids=sites, site_change_ids=changes, **extra
    )
    return pair.mso.post("/vendor-contracts", json=body, headers=ADMIN)


def refused(response: Any, status: int, problem: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{problem}"
    return body


def standing(pair: Pair, contract_id: str) -> str:
    contract = ok(pair.mso.get(f"/vendor-contracts/{contract_id}", headers=AUDITOR))
    status: str = contract["pc_approval_status"]
    return status
