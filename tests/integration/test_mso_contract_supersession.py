"""A clinical-supply contract follows the PC approval actually in force at its site.

The real PC approves a lab change at a site, a contract is signed on it, and the PC
later approves a newer lab change there: the earlier change is still approved, but the
site's term is the newer one's, so the contract on the earlier change is superseded
(not renewed, and no new contract on it). When the PC suspends or revokes the newer
change, the site's earlier term returns, and with it the earlier contract's standing.
The provenance of a contract names, per site, the change and the PC decision and the
feed message it came in.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.clinical_vendor_helpers import (
    LAB,
    RENEWAL,
    SUPPLIES,
    offer,
    refused,
    standing,
)
from tests.integration.conftest import ADMIN, AUDITOR
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
    site,
)
from tests.integration.test_provenance import pc_feed

LABCORP = {**LAB, "proposed": "LabCorp", "description": "Switch again: courier pickups"}


def approved_change(pair: Pair, site_id: str, body: dict[str, Any]) -> tuple[str, str]:
    """A change the real PC approved, its approval delivered; its id and authorization."""
    change_id, authorization_id = request_change(pair, site_id, body)
    decide(pair, authorization_id, "approve")
    pair.sync()
    return change_id, authorization_id


def lab_term(pair: Pair, site_id: str) -> Any:
    """The change whose lab-vendor term is in force at the site."""
    terms = site(pair.mso, site_id)["operations"]
    return next(term["change_id"] for term in terms if term["aspect"] == "lab_vendor")


def renew(pair: Pair, contract_id: str, body: dict[str, str] = RENEWAL) -> Any:
    return pair.mso.post(f"/vendor-contracts/{contract_id}/renewals", json=body, headers=ADMIN)


def test_a_later_approval_at_the_site_supersedes_the_contract_until_it_is_withdrawn(
    pair: Pair,
) -> None:
    north, south = live_site(pair, "North"), live_site(pair, "South")
    quest, labcorp = vendor(pair, "Quest Diagnostics"), vendor(pair, "LabCorp")
    quest_change, _ = approved_change(pair, north, LAB)
    south_change, _ = approved_change(pair, south, LAB)
    on_quest = ok(offer(pair, quest, [north], [quest_change]), 201)["id"]
    both_sites = ok(offer(pair, quest, [north, south], [quest_change, south_change]), 201)["id"]
    south_only = ok(offer(pair, quest, [south], [south_change]), 201)["id"]

    approved_change(pair, north, SUPPLIES)  # another aspect at the site replaces nothing
    assert standing(pair, on_quest) == "in_force"

    labcorp_change, labcorp_auth = request_change(pair, north, LABCORP)
    decide(pair, labcorp_auth, "approve")
    assert standing(pair, on_quest) == "in_force", "not before the approval arrives"
    pair.sync()
    assert lab_term(pair, north) == labcorp_change
    assert standing(pair, on_quest) == "superseded"
    assert standing(pair, both_sites) == "superseded", "one site's supersession shows on it"
    assert standing(pair, south_only) == "in_force", "a change at another site is its own"
    superseded = sorted([on_quest, both_sites])
    assert sorted(ids(pair, "/vendor-contracts", pc_approval_status="superseded")) == superseded
    assert sorted(ids(pair, "/vendor-contracts", pc_approval_status="not_in_force")) == superseded
    assert ids(pair, "/vendor-contracts", pc_approval_status="in_force") == [south_only]

    head = pair.mso_runtime.application.head_position()
    refused(renew(pair, on_quest), 409, "pc-approval-not-in-force")
    again = refused(offer(pair, quest, [north], [quest_change]), 409, "pc-approval-not-in-force")
    assert "superseded" in again["detail"]
    assert pair.mso_runtime.application.head_position() == head, "a refusal writes nothing"
    on_labcorp = ok(offer(pair, labcorp, [north], [labcorp_change]), 201)["id"]
    assert standing(pair, on_labcorp) == "in_force"

    decide(pair, labcorp_auth, "suspend")
    pair.sync()
    assert lab_term(pair, north) == quest_change, "the site's earlier term returns"
    assert (standing(pair, on_quest), standing(pair, on_labcorp)) == ("in_force", "suspended")
    assert standing(pair, both_sites) == "in_force"
    ok(renew(pair, on_quest))

    decide(pair, labcorp_auth, "reinstate")
    pair.sync()
    assert (standing(pair, on_quest), standing(pair, on_labcorp)) == ("superseded", "in_force")

    decide(pair, labcorp_auth, "revoke")
    pair.sync()
    assert (standing(pair, on_quest), standing(pair, on_labcorp)) == ("in_force", "revoked")
    assert sorted(ids(pair, "/vendor-contracts", pc_approval_status="in_force")) == sorted(
        [on_quest, both_sites, south_only]
    )
    later = {"term_end": "2029-12-31", "renewal_date": "2029-10-01"}
    assert ok(renew(pair, on_quest, later))["pc_approval_status"] == "in_force"
    ok(offer(pair, quest, [north], [quest_change]), 201)  # signing on it is allowed again

    pair.sync()
    live = read_models(pair)
    standings = {(row[0], row[1]): row[5] for row in live["mso_vendor_contract_approvals"]}
    assert set(standings.values()) == {"approved", "revoked"}
    assert live["mso_vendor_contract_site_terms"], "the site terms contracts rest on are kept"
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live


def test_a_contracts_provenance_names_per_site_the_pc_decision_and_its_message(
    pair: Pair,
) -> None:
    north, south = live_site(pair, "North"), live_site(pair, "South")
    quest = vendor(pair, "Quest Diagnostics")
    north_change, north_auth = request_change(pair, north, LAB)
    north_decision = decide(pair, north_auth, "approve")["decisions"][-1]["decision_id"]
    south_change, south_auth = request_change(pair, south, LAB)
    south_decision = decide(pair, south_auth, "approve")["decisions"][-1]["decision_id"]
    pair.sync()
    contract = ok(offer(pair, quest, [south, north], [north_change, south_change]), 201)
    approved_change(pair, north, LABCORP)

    chain = ok(pair.mso.get(f"/provenance/vendor-contract/{contract['id']}", headers=AUDITOR))
    assert (chain["kind"], chain["id"], chain["supplies"]) == (
        "vendor-contract",
        contract["id"],
        "reference_lab",
    )
    assert chain["pc_approval_status"] == "superseded"
    feed = {m.payload.get("decision_id"): m for m in pc_feed(pair)}
    expected = [
        (south, south_change, south_auth, south_decision, "approved"),
        (north, north_change, north_auth, north_decision, "superseded"),
    ]
    assert len(chain["approvals"]) == len(expected), "one per site, in the contract's order"
    for approval, (site_id, change_id, auth_id, decision_id, change_standing) in zip(
        chain["approvals"], expected, strict=True
    ):
        assert (approval["site_id"], approval["change_id"], approval["aspect"]) == (
            site_id,
            change_id,
            "lab_vendor",
        )
        assert (approval["authorization_id"], approval["decision_id"]) == (auth_id, decision_id)
        assert approval["standing"] == change_standing
        message = feed[decision_id]
        arrived = approval["arrived_through"]
        assert (arrived["producer"], arrived["position"], arrived["message_id"]) == (
            "pc-governance",
            message.position,
            str(message.message_id),
        )
        assert arrived["decision_id"] == decision_id
        assert [d["decision_id"] for d in approval["decisions"]] == [decision_id]
        path = approval["pc_provenance_path"]
        assert path == f"/provenance/authorizations/{auth_id}"
        assert ok(pair.pc.get(path, headers=AUDITOR))["authorization_id"] == auth_id

    decide(pair, north_auth, "suspend")
    pair.sync()
    chain = ok(pair.mso.get(f"/provenance/vendor-contract/{contract['id']}", headers=AUDITOR))
    north_approval = chain["approvals"][1]
    assert north_approval["standing"] == "suspended"
    assert north_approval["decision_id"] == north_decision, "the decision it was signed on"
    assert len(north_approval["decisions"]) == 2, "and every PC decision on the change since"

    cleaning = ok(pair.mso.post("/vendor-contracts", json=contract_body(quest), headers=ADMIN), 201)
    plain = ok(pair.mso.get(f"/provenance/vendor-contract/{cleaning['id']}", headers=AUDITOR))
    assert (plain["approvals"], plain["pc_approval_status"]) == ([], "not_required")
    for unknown in (north, "00000000-0000-4000-8000-000000000000"):
        missing = pair.mso.get(f"/provenance/vendor-contract/{unknown}", headers=AUDITOR)
        refused(missing, 404, "vendor-contract-not-found")
    as_vendor = pair.mso.get(
        f"/provenance/vendor-contract/{contract['id']}", headers=auth("vendor", "vic")
    )
    refused(as_vendor, 403, "forbidden")
