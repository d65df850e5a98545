"""Coding rules and the records policy crossing from PC Governance to MSO Operations:
the PC approves, its feed carries the signed message, the MSO records it;
a claim cites the coding-rules version in force on its service date, or is refused."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.policy_helpers import (
    MD_ACT,
    PHYSICIAN,
    approved,
    code,
    coding_rules,
    day,
    drafted,
    records_policy,
)
from tests.integration.services import Pair
from tests.integration.test_pc_protocols import problem

BILLING = auth("mso_billing", "bo")


def site(pair: Pair, *lines: str) -> str:
    made = pair.mso.post(
        "/sites", json={"name": "Eastside", "kind": "campus", "address": "1 Main"}, headers=ADMIN
    )
    assert made.status_code == 201, made.text
    site_id = str(made.json()["id"])
    for line in lines:
        added = pair.mso.post(f"/sites/{site_id}/service-lines", json={"code": line}, headers=ADMIN)
        assert added.status_code == 201, added.text
    return site_id


def claim(site_id: str, number: str, line: str = "sports_clearance") -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": line,
        "payer": "Blue Shield of California",
        "claim_number": number,
        "billed_amount": "150.00",
        "service_date": day(0),
        "submitted_on": day(0),
    }


def test_a_claim_cites_the_version_the_pc_approved(pair: Pair) -> None:
    site_id = site(pair, "sports_clearance", "school_physical")
    refused = pair.mso.post("/billing/claims", json=claim(site_id, "A-1"), headers=BILLING)
    problem(refused, 409, "clinical-policy-not-in-force")
    assert "sports_clearance" in refused.json()["detail"]

    rules = drafted(pair, "/coding-rules", coding_rules(codes=[code(fee_cents=15000)]))
    decision = approved(pair, "/coding-rules", rules)["versions"][0]["decision_id"]
    pair.sync()

    in_force = pair.mso.get(
        "/coding-rules/in-force?service_line=sports_clearance", headers=BILLING
    ).json()
    assert (in_force["document_id"], in_force["version"]) == (rules, 1)
    assert in_force["terms"]["codes"][0]["fee_cents"] == 15000
    assert in_force["decision_id"] == decision

    submitted = pair.mso.post("/billing/claims", json=claim(site_id, "A-1"), headers=BILLING)
    assert submitted.status_code == 201, submitted.text
    cited = pair.mso.get(
        f"/billing/claims/{submitted.json()['id']}/coding-rules", headers=BILLING
    ).json()
    assert cited["coded_under"] == {
        "document_id": rules,
        "name": "Sports clearance coding",
        "version": 1,
        "effective_from": day(0),
        "decision_id": decision,
    }
    other_line = pair.mso.post(
        "/billing/claims", json=claim(site_id, "A-2", "school_physical"), headers=BILLING
    )
    problem(other_line, 409, "clinical-policy-not-in-force")


def test_a_retirement_and_the_records_policy_reach_the_mso(pair: Pair) -> None:
    rules = drafted(pair, "/coding-rules", coding_rules())
    approved(pair, "/coding-rules", rules)
    retire = {"reason": "replaced", "ended_on": day(3), "basis": MD_ACT}
    assert pair.pc.post(f"/coding-rules/{rules}/retire", json=retire, headers=DIRECTOR).is_success
    policy = drafted(pair, "/records-policies", records_policy())
    approved(pair, "/records-policies", policy)
    pair.sync()

    url = "/coding-rules/in-force?service_line=sports_clearance"
    assert pair.mso.get(f"{url}&on={day(2)}", headers=BILLING).json()["version"] == 1
    ended = pair.mso.get(f"{url}&on={day(3)}", headers=BILLING)
    problem(ended, 409, "clinical-policy-not-in-force")

    shown = pair.mso.get("/records-policy", headers=ADMIN).json()
    assert shown["document_id"] == policy
    assert shown["terms"]["release"][0]["recipient"] == "school athletic department"
    assert shown["terms"]["retention"][0]["retention_years"] == 25
    assert pair.mso.get("/records-policy", headers=PHYSICIAN).status_code == 403
