"""A reference-lab or clinical-supply contract, only on the PC's approved material change.

The MSO requests the change, the real PC approves it, the approval arrives through the
PC's feed, and only then is the contract recorded, carrying the PC's authorization and
decision; the PC's later suspension or revocation shows on the contract.
"""

from __future__ import annotations

from typing import Any

from tests.integration.clinical_vendor_helpers import (
    LAB,
    RENEWAL,
    SUPPLIES,
    offer,
    refused,
    standing,
)
from tests.integration.conftest import ADMIN
from tests.integration.facility_helpers import (
    contract_body,
    ids,
    read_models,
    vendor,
)
from tests.integration.services import (
    Pair,
)
from tests.integration.site_helpers import (
    decide,
    live_site,
    ok,
    request_change,
)


def test_a_lab_contract_rests_on_the_pcs_approval_and_follows_its_later_decisions(
    pair: Pair,
) -> None:
    north = live_site(pair, "North")
    quest = vendor(pair, "Quest Diagnostics")
    change_id, authorization_id = request_change(pair, north, LAB)

    head = pair.mso_runtime.application.head_position()
    early = refused(offer(pair, quest, [north], [change_id]), 409, "pc-approval-not-in-force")
    assert "requested" in early["detail"]
    decision_id = decide(pair, authorization_id, "approve")["decisions"][-1]["decision_id"]
    refused(offer(pair, quest, [north], [change_id]), 409, "pc-approval-not-in-force")
    assert pair.mso_runtime.application.head_position() == head, "nothing before it arrives"

    pair.sync()
    head = pair.mso_runtime.application.head_position()
    for supplies in ("clinical_supplies", "pharmacy"):  # a lab change approves no supplies
        wrong = pair.mso.post(
            "/vendor-contracts",
            json=contract_body(
                quest, supplies=supplies, site_ids=[north], site_change_ids=[change_id]
            ),
            headers=ADMIN,
        )
        assert refused(wrong, 422, "clinical-supply-needs-pc-approval")["field"] == (
            "site_change_ids"
        )
    refused(offer(pair, quest, [north], [quest]), 404, "site-change-not-found")
    assert pair.mso_runtime.application.head_position() == head, "a refusal writes nothing"

    signed = offer(pair, quest, [north], [change_id])
    assert signed.status_code == 201, signed.text
    contract = signed.json()
    assert contract["pc_approvals"] == [
        {
            "change_id": change_id,
            "site_id": north,
            "aspect": "lab_vendor",
            "authorization_id": authorization_id,
            "decision_id": decision_id,
        }
    ]
    assert contract["pc_approval_status"] == "in_force"
    url = f"/vendor-contracts/{contract['id']}"

    decide(pair, authorization_id, "suspend")
    assert standing(pair, contract["id"]) == "in_force", "not before the suspension arrives"
    pair.sync()
    assert standing(pair, contract["id"]) == "suspended"
    assert ids(pair, "/vendor-contracts", pc_approval_status="not_in_force") == [contract["id"]]
    assert ids(pair, "/vendor-contracts", pc_approval_status="suspended") == [contract["id"]]
    assert ids(pair, "/vendor-contracts", pc_approval_status="in_force") == []
    refused(
        pair.mso.post(f"{url}/renewals", json=RENEWAL, headers=ADMIN),
        409,
        "pc-approval-not-in-force",
    )

    decide(pair, authorization_id, "reinstate")
    pair.sync()
    assert ids(pair, "/vendor-contracts", pc_approval_status="in_force") == [contract["id"]]
    renewed = ok(pair.mso.post(f"{url}/renewals", json=RENEWAL, headers=ADMIN))
    assert (renewed["term_end"], renewed["pc_approval_status"]) == ("2028-12-31", "in_force")

    decide(pair, authorization_id, "revoke")
    pair.sync()
    assert standing(pair, contract["id"]) == "revoked"
    assert ids(pair, "/vendor-contracts", pc_approval_status="not_in_force") == [contract["id"]]
    later = {"term_end": "2029-12-31", "renewal_date": "2029-10-01"}
    refused(
        pair.mso.post(f"{url}/renewals", json=later, headers=ADMIN),
        409,
        "pc-approval-not-in-force",
    )
    ended = pair.mso.post(
        f"{url}/terminate",
        json={"last_day": "2028-03-31", "reason": "The PC revoked the lab change"},
        headers=ADMIN,
    )
    assert ok(ended)["status"] == "terminated", "a contract whose approval went may still end"


def test_every_site_of_a_contract_needs_its_own_approval_and_the_read_models_rebuild(
    pair: Pair,
) -> None:
    north, south = live_site(pair, "North"), live_site(pair, "South")
    schein = vendor(pair, "Henry Schein")
    approved: dict[str, tuple[str, str]] = {}
    for site_id in (north, south):
        approved[site_id] = request_change(pair, site_id, SUPPLIES)
        decide(pair, approved[site_id][1], "approve")
    pair.sync()
    (north_change, _), (south_change, south_auth) = approved[north], approved[south]

    def supplies_contract(sites: list[str], changes: list[str]) -> Any:
        body = contract_body(
            schein, supplies="clinical_equipment", site_ids=sites, site_change_ids=changes
        )
        return pair.mso.post("/vendor-contracts", json=body, headers=ADMIN)

    for sites, changes in (
        ([north, south], [north_change]),  # south uncovered
        ([north], [north_change, south_change]),  # south's change, yet no south
        ([north, south], [north_change, north_change]),  # one site twice
    ):
        response = supplies_contract(sites, changes)
        assert refused(response, 422, "clinical-supply-needs-pc-approval")["field"] == (
            "site_change_ids"
        )
    both = ok(supplies_contract([north, south], [south_change, north_change]), 201)
    assert [a["change_id"] for a in both["pc_approvals"]] == [north_change, south_change]
    north_only = ok(supplies_contract([north], [north_change]), 201)

    decide(pair, south_auth, "revoke")
    pair.sync()
    assert standing(pair, both["id"]) == "revoked", "one site's revocation shows on it"
    assert standing(pair, north_only["id"]) == "in_force"
    assert ids(pair, "/vendor-contracts", pc_approval_status="not_in_force") == [both["id"]]

    live = read_models(pair)
    assert len(live["mso_vendor_contract_approvals"]) == 3
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
