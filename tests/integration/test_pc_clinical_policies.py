"""Coding rules and the medical-records policy at PC Governance, over HTTP: drafting,
the Medical Director's approval (and no one else's), supersession, retirement, the
lists, what is in force on a day, and the decision rights that list them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import about, cited, held_meeting, recorded
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
from tests.integration.test_pc_protocols import problem, rows

BILLING = auth("mso_billing", "bo")
TABLES = ("pc_clinical_policies", "pc_clinical_policy_versions")


def test_coding_rules_are_drafted_approved_superseded_and_in_force_by_day(pair: Pair) -> None:
    rules = drafted(pair, "/coding-rules", coding_rules())
    first = approved(pair, "/coding-rules", rules, 1, offset=0)
    assert first["status"] == "approved"
    assert first["standing_version"] == 1
    assert first["versions"][0]["terms"]["codes"][0]["fee_cents"] == 15000

    second = pair.pc.post(
        f"/coding-rules/{rules}/versions",
        json={"codes": [code(fee_cents=16500), code("99395", 17000)]},
        headers=PHYSICIAN,
    )
    assert second.status_code == 200, second.text
    superseding = approved(pair, "/coding-rules", rules, 2, offset=10)
    assert [v["status"] for v in superseding["versions"]] == ["superseded", "approved"]
    assert superseding["versions"][0]["ended_on"] == day(10)

    pair.sync()
    today = pair.pc.get(f"/coding-rules/in-force?on={day(0)}", headers=PHYSICIAN).json()
    assert [(r["number"], r["terms"]["codes"][0]["fee_cents"]) for r in today] == [(1, 15000)]
    later = pair.pc.get(
        f"/coding-rules/in-force?on={day(10)}&service_line=sports_clearance", headers=PHYSICIAN
    ).json()
    assert [r["number"] for r in later] == [2]
    assert (
        pair.pc.get(
            f"/coding-rules/in-force?on={day(0)}&service_line=school_physical", headers=PHYSICIAN
        ).json()
        == []
    )
    listed = pair.pc.get("/coding-rules?service_line=sports_clearance", headers=PHYSICIAN).json()
    assert [(r["id"], r["standing_version"]) for r in listed["items"]] == [(rules, 2)]


def test_only_the_medical_director_approves_or_retires(pair: Pair) -> None:
    for path, body in (("/coding-rules", coding_rules()), ("/records-policies", records_policy())):
        policy = drafted(pair, path, body)
        decision = {"effective_from": day(0), "basis": MD_ACT}
        for headers in (PHYSICIAN, ADMIN, BILLING):
            refused = pair.pc.post(
                f"{path}/{policy}/versions/1/approve", json=decision, headers=headers
            )
            assert refused.status_code in (401, 403), refused.text
        assert approved(pair, path, policy)["status"] == "approved"
        retire = {"reason": "replaced", "ended_on": day(5), "basis": MD_ACT}
        refused = pair.pc.post(f"{path}/{policy}/retire", json=retire, headers=PHYSICIAN)
        assert refused.status_code == 403
        retired = pair.pc.post(f"{path}/{policy}/retire", json=retire, headers=DIRECTOR)
        assert retired.status_code == 200, retired.text
        assert retired.json()["status"] == "retired"
        assert retired.json()["versions"][0]["ended_on"] == day(5)


@pytest.mark.parametrize(
    ("path", "body", "kind"),
    [
        ("/coding-rules", coding_rules(), "coding_rules"),
        ("/records-policies", records_policy(), "records_policy"),
    ],
)
def test_a_motion_carried_about_the_document_is_a_basis(
    pair: Pair, path: str, body: dict[str, Any], kind: str
) -> None:
    policy = drafted(pair, path, body)
    other = drafted(pair, path, body)
    _, elsewhere = held_meeting(pair.pc, "2026-09", subject=about(kind, other))
    _, carried = held_meeting(pair.pc, "2026-10", subject=about(kind, policy))
    _, retiring = held_meeting(pair.pc, "2026-11", subject=about(kind, policy))
    approve = f"{path}/{policy}/versions/1/approve"

    def decision(reference: str) -> dict[str, Any]:
        return {"effective_from": day(0), "basis": cited(reference)}

    before = pair.pc_runtime.application.head_position()
    problem(
        pair.pc.post(approve, json=decision(elsewhere), headers=DIRECTOR),
        422,
        "decision-subject-mismatch",
    )
    assert pair.pc_runtime.application.head_position() == before
    done = pair.pc.post(approve, json=decision(carried), headers=DIRECTOR)
    assert done.status_code == 200, done.text
    assert done.json()["versions"][0]["basis"] == recorded(cited(carried), kind, policy)
    retire = {"reason": "replaced", "ended_on": day(5), "basis": cited(retiring)}
    retired = pair.pc.post(f"{path}/{policy}/retire", json=retire, headers=DIRECTOR)
    assert retired.status_code == 200, retired.text
    assert retired.json()["status"] == "retired"


def test_an_mso_role_cannot_draft_and_an_mso_token_gets_403(pair: Pair) -> None:
    refused = pair.pc.post("/coding-rules", json=coding_rules(), headers=BILLING)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (coding_rules(codes=[code(), code()]), "codes"),
        (coding_rules(codes=[]), "codes"),
        (coding_rules(codes=[code(fee_cents=-1)]), "codes"),
        (coding_rules(codes=[code(fee_cents=100_000_001)]), "codes"),
        (coding_rules(service_line="surgery"), "service_line"),
        (coding_rules(name="x" * 201), "name"),
        (coding_rules(codes=[code("99 394")]), "codes"),
    ],
)
def test_bad_coding_rules_are_refused_and_nothing_written(
    pair: Pair, body: dict[str, Any], field: str
) -> None:
    before = pair.pc_runtime.application.head_position()
    refused = pair.pc.post("/coding-rules", json=body, headers=PHYSICIAN)
    assert refused.status_code == 422, refused.text
    assert field in refused.text
    assert pair.pc_runtime.application.head_position() == before


def test_approval_is_never_retroactive_and_a_version_is_approved_once(pair: Pair) -> None:
    rules = drafted(pair, "/coding-rules", coding_rules())
    past = pair.pc.post(
        f"/coding-rules/{rules}/versions/1/approve",
        json={"effective_from": day(-1), "basis": MD_ACT},
        headers=DIRECTOR,
    )
    problem(past, 422, "unworkable-clinical-policy-date")
    approved(pair, "/coding-rules", rules)
    again = pair.pc.post(
        f"/coding-rules/{rules}/versions/1/approve",
        json={"effective_from": day(1), "basis": MD_ACT},
        headers=DIRECTOR,
    )
    problem(again, 409, "invalid-clinical-policy-transition")


def test_records_policy_is_its_own_kind(pair: Pair) -> None:
    policy = drafted(pair, "/records-policies", records_policy())
    approved(pair, "/records-policies", policy)
    assert pair.pc.get(f"/coding-rules/{policy}", headers=PHYSICIAN).status_code == 404
    shown = pair.pc.get(f"/records-policies/{policy}", headers=PHYSICIAN).json()
    assert shown["versions"][0]["terms"]["release"][0]["turnaround_days"] == 5
    pair.sync()
    in_force = pair.pc.get(f"/records-policies/in-force?on={day(0)}", headers=PHYSICIAN).json()
    assert [r["policy_id"] for r in in_force] == [policy]
    assert pair.pc.get("/records-policies", headers=PHYSICIAN).json()["items"][0]["id"] == policy
    assert pair.pc.get("/coding-rules", headers=PHYSICIAN).json()["items"] == []


def test_decision_rights_list_both_rights(pair: Pair) -> None:
    rights = {r["decision"]: r for r in pair.pc.get("/decision-rights").json()}
    for decision in ("coding_rules_and_fee_schedule", "medical_records_ownership"):
        assert rights[decision]["deciding_roles"] == ["medical_director"]
        assert rights[decision]["owner"] == "pc"


def test_the_read_model_rebuilds_to_the_live_one(pair: Pair) -> None:
    rules = drafted(pair, "/coding-rules", coding_rules())
    approved(pair, "/coding-rules", rules)
    pair.pc.post(f"/coding-rules/{rules}/versions", json={"codes": [code()]}, headers=PHYSICIAN)
    approved(pair, "/coding-rules", rules, 2, offset=3)
    policy = drafted(pair, "/records-policies", records_policy())
    approved(pair, "/records-policies", policy)
    retire = {"reason": "replaced", "ended_on": day(9), "basis": MD_ACT}
    assert pair.pc.post(
        f"/records-policies/{policy}/retire", json=retire, headers=DIRECTOR
    ).is_success
    pair.sync()
    live = rows(pair, TABLES)
    assert len(live["pc_clinical_policy_versions"]) == 3
    pair.pc_runtime.projections.rebuild()
    assert rows(pair, TABLES) == live
