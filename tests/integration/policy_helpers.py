"""What the coding-rules and records-policy tests share: bodies, and the PC's steps over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import auth
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair

PHYSICIAN = auth("physician", "dr-roe")
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-2026-044"}


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def code(number: str = "99394", fee_cents: int = 15000, **overrides: Any) -> dict[str, Any]:
    return {
        "code": number,
        "description": "Preventive visit, established patient, 12-17 years",
        "fee_cents": fee_cents,
        "coding_note": "Sports clearance with full history and exam",
        **overrides,
    }


def coding_rules(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Sports clearance coding",
        "service_line": "sports_clearance",
        "codes": [code()],
        **overrides,
    }


def records_policy(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Medical-records policy",
        "retention": [{"record_type": "minor's chart", "retention_years": 25}],
        "release": [
            {
                "recipient": "school athletic department",
                "authorization": "signed parent or guardian authorization",
                "turnaround_days": 5,
            }
        ],
        **overrides,
    }


def drafted(pair: Pair, path: str, body: dict[str, Any]) -> str:
    response = pair.pc.post(path, json=body, headers=PHYSICIAN)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def approved(
    pair: Pair, path: str, policy_id: str, number: int = 1, offset: int = 0
) -> dict[str, Any]:
    response = pair.pc.post(
        f"{path}/{policy_id}/versions/{number}/approve",
        json={"effective_from": day(offset), "basis": MD_ACT},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
