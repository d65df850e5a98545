"""The PC's coding rules and records policy delivered to the MSO without the PC side: real
contract messages in real envelopes, applied by the MSO's real inbound policy
(`template_feed.deliver`)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from tests.integration.services import Pair
from tests.integration.template_feed import APPROVED_AT, deliver

BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-2026-044"}
SINCE = date(2026, 1, 1)


def version(number: int = 1, effective_from: date = SINCE, **terms: Any) -> dict[str, Any]:
    return {
        "version": number,
        "effective_from": effective_from,
        "ended_on": None,
        "decision_id": uuid.uuid4(),
        "basis": BASIS,
        "approved_at": APPROVED_AT,
        **terms,
    }


def coding_version(number: int = 1, fee_cents: int = 15000, **period: Any) -> dict[str, Any]:
    codes = [{"code": "99394", "description": "Preventive visit", "fee_cents": fee_cents}]
    return version(number, codes=codes, **period)


def coding_rules(
    service_line: str, *versions: dict[str, Any], document_id: uuid.UUID | None = None
) -> CodingRulesPublishedV1:
    return CodingRulesPublishedV1.model_validate(
        {
            "document_id": document_id or uuid.uuid4(),
            "name": f"{service_line} coding",
            "service_line": service_line,
            "decision_id": uuid.uuid4(),
            "decided": "approved",
            "decided_at": APPROVED_AT,
            "versions": list(versions) or [coding_version()],
        }
    )


def deliver_coding_rules(pair: Pair, *service_lines: str) -> None:
    """Coding rules in force since 2026 for each line, as the PC would have published them."""
    for line in service_lines:
        deliver(pair, coding_rules(line))


def records_policy(*versions: dict[str, Any]) -> RecordsPolicyPublishedV1:
    terms = {
        "retention": [{"record_type": "minor's chart", "retention_years": 25}],
        "release": [
            {
                "recipient": "school athletic department",
                "authorization": "signed parent or guardian authorization",
                "turnaround_days": 5,
            }
        ],
    }
    return RecordsPolicyPublishedV1.model_validate(
        {
            "document_id": uuid.uuid4(),
            "name": "Medical-records policy",
            "decision_id": uuid.uuid4(),
            "decided": "approved",
            "decided_at": APPROVED_AT,
            "versions": list(versions) or [version(**terms)],
        }
    )
