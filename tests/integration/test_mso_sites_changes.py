"""A material operational change: proposed by the MSO, in force only on the PC's approval."""

from __future__ import annotations

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR
from tests.integration.services import (
    Pair,
    service_pair,
)
from tests.integration.site_helpers import (
    HOURS,
    decide,
    live_site,
    ok,
    propose_site,
    request_change,
    site,
)


def terms(pair: Pair, site_id: str) -> dict[str, tuple[str, str]]:
    return {
        t["aspect"]: (t["value"], t["decision_id"]) for t in site(pair.mso, site_id)["operations"]
    }


def test_a_change_takes_effect_only_when_the_pcs_approval_arrives(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        change_id, authorization_id = request_change(pair, site_id)
        received = ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))
        assert received["kind"] == "material_change"
        assert received["service_line"] is None
        assert received["change"] == {**HOURS, "previous": None, "operating_term": None}
        assert "Saturday clinics" in received["readiness"]["summary"]
        assert terms(pair, site_id) == {}

        approved = decide(pair, authorization_id, "approve", conditions=["MD covers Saturdays"])
        decision_id = approved["decisions"][-1]["decision_id"]
        assert terms(pair, site_id) == {}, "not before the approval arrives through the feed"
        pair.sync()
        assert terms(pair, site_id) == {"hours": (HOURS["proposed"], decision_id)}
        change = ok(pair.mso.get(f"/sites/{site_id}/changes/{change_id}", headers=AUDITOR))
        assert (change["status"], change["authorization_id"]) == ("approved", authorization_id)
        assert change["conditions"] == ["MD covers Saturdays"]
        assert site(pair.mso, site_id)["status"] == "live", "a change leaves the status alone"

        later = {**HOURS, "proposed": "Mon-Fri 08:00-17:00", "description": "Season over"}
        second_id, second_auth = request_change(pair, site_id, later)
        assert (
            ok(pair.pc.get(f"/authorizations/{second_auth}", headers=DIRECTOR))["change"][
                "previous"
            ]
            == HOURS["proposed"]
        )
        decide(pair, second_auth, "approve")
        pair.sync()
        assert terms(pair, site_id)["hours"][0] == later["proposed"]
        decide(pair, second_auth, "revoke")
        pair.sync()
        assert terms(pair, site_id) == {"hours": (HOURS["proposed"], decision_id)}, (
            "revoking the later change brings the earlier term back"
        )
        revoked = ok(pair.mso.get(f"/sites/{site_id}/changes/{second_id}", headers=AUDITOR))
        assert revoked["status"] == "revoked"


def test_denial_suspension_and_reinstatement_of_a_change(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        lab = {"aspect": "lab_vendor", "proposed": "Quest", "description": "Cheaper courier"}
        denied_id, denied_auth = request_change(pair, site_id, lab)
        decide(pair, denied_auth, "deny")
        pair.sync()
        assert terms(pair, site_id) == {}
        denied = ok(pair.mso.get(f"/sites/{site_id}/changes/{denied_id}", headers=ADMIN))
        assert (denied["status"], denied["reason"]) == ("denied", "deny: see the minutes")

        _, staffing_auth = request_change(
            pair,
            site_id,
            {"aspect": "staffing_model", "proposed": "1 NP + MA", "description": "APP-led"},
        )
        decide(pair, staffing_auth, "approve")
        pair.sync()
        assert terms(pair, site_id)["staffing_model"][0] == "1 NP + MA"
        decide(pair, staffing_auth, "suspend")
        pair.sync()
        assert "staffing_model" not in terms(pair, site_id)
        reinstated = decide(pair, staffing_auth, "reinstate")
        pair.sync()
        assert terms(pair, site_id)["staffing_model"] == (
            "1 NP + MA",
            reinstated["decisions"][-1]["decision_id"],
        )


def test_refusals_lists_and_idempotency(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        proposed = propose_site(mso)["id"]
        early = mso.post(f"/sites/{proposed}/changes", json=HOURS, headers=ADMIN)
        assert early.status_code == 409, "no change before the PC approved the go-live"
        assert early.json()["type"] == "/problems/invalid-site-transition"

        site_id = live_site(pair, "Live")
        bad = [
            {**HOURS, "aspect": "protocol"},
            {**HOURS, "proposed": "  "},
            {**HOURS, "extra": 1},
            {"aspect": "hours", "proposed": "x"},
        ]
        for body in bad:
            assert (
                mso.post(f"/sites/{site_id}/changes", json=body, headers=ADMIN).status_code == 422
            )
        for role in ("mso_scheduler", "auditor", "medical_director", "vendor"):
            response = mso.post(f"/sites/{site_id}/changes", json=HOURS, headers=auth(role))
            assert response.status_code == 403, role

        key = {**ADMIN, "Idempotency-Key": "hours-1"}
        first = mso.post(f"/sites/{site_id}/changes", json=HOURS, headers=key)
        again = mso.post(f"/sites/{site_id}/changes", json=HOURS, headers=key)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.headers["Location"] == f"/sites/{site_id}/changes/{first.json()['id']}"
        lab = {"aspect": "lab_vendor", "proposed": "LabCorp", "description": "Contract renewal"}
        ok(mso.post(f"/sites/{site_id}/changes", json=lab, headers=ADMIN), 201)
        pair.sync()

        url = f"/sites/{site_id}/changes"
        page = ok(mso.get(url, params={"limit": 1}, headers=AUDITOR))
        rest = ok(mso.get(url, params={"cursor": page["next_cursor"]}, headers=AUDITOR))
        assert [c["aspect"] for c in page["items"] + rest["items"]] == ["hours", "lab_vendor"]
        by_aspect = ok(mso.get(url, params={"aspect": "lab_vendor"}, headers=AUDITOR))
        assert [c["proposed"] for c in by_aspect["items"]] == ["LabCorp"]
        by_status = ok(mso.get(url, params={"status": "approved"}, headers=AUDITOR))
        assert by_status["items"] == []
        none_yet = ok(mso.get(url, params={"requested_before": "2000-01-01"}, headers=AUDITOR))
        assert none_yet["items"] == []
        assert mso.get(url, params={"status": "done"}, headers=AUDITOR).status_code == 422
        other_site = mso.get(f"/sites/{proposed}/changes/{first.json()['id']}", headers=ADMIN)
        assert other_site.status_code == 404
        assert other_site.json()["type"] == "/problems/site-change-not-found"
