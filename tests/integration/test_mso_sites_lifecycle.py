"""A site from proposal to live through the PC's approval, over HTTP, on each backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR, SCHEDULER
from tests.integration.meeting_helpers import about, held_meeting, recorded
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import (
    ITEMS,
    MARGIN,
    MD_ACT,
    PAYBACK,
    PRO_FORMA,
    decide,
    live_site,
    ok,
    propose_site,
    ready_site,
    request_go_live,
    site,
)


def test_a_site_goes_live_only_through_the_pcs_approval(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        proposed = propose_site(mso, pro_forma=PRO_FORMA)
        site_id = proposed["id"]
        assert proposed["status"] == "proposed"
        assert proposed["pro_forma"]["monthly_margin"] == MARGIN
        assert proposed["pro_forma"]["payback_months"] == PAYBACK
        assert [i["item"] for i in proposed["checklist"]] == list(ITEMS)
        assert proposed["readiness_share"] == "0.0000"

        early = mso.post(f"/sites/{site_id}/go-live-requests", json={"summary": "s"}, headers=ADMIN)
        assert early.status_code == 409
        assert early.json()["type"] == "/problems/invalid-site-transition"

        readying = ok(mso.post(f"/sites/{site_id}/readiness", headers=ADMIN))
        assert readying["status"] == "readying"
        lease = ok(
            mso.put(
                f"/sites/{site_id}/checklist/lease",
                json={"met": True, "document_ref": "LEASE-7", "note": "5 years"},
                headers=auth("mso_admin", "ann"),
            )
        )
        entry = lease["checklist"][0]
        assert entry["met"] is True
        assert entry["evidence"]["recorded_by"] == "ann"
        assert entry["evidence"]["document_ref"] == "LEASE-7"
        assert lease["readiness_share"] == "0.1429"

        not_ready = mso.post(
            f"/sites/{site_id}/go-live-requests", json={"summary": "s"}, headers=ADMIN
        )
        assert not_ready.status_code == 409
        assert not_ready.json()["type"] == "/problems/site-not-ready"
        assert not_ready.json()["missing"] == list(ITEMS[1:])

        for item in ITEMS[1:]:
            ok(
                mso.put(
                    f"/sites/{site_id}/checklist/{item}",
                    json={"met": True, "document_ref": f"DOC-{item}"},
                    headers=ADMIN,
                )
            )
        authorization_id = request_go_live(pair, site_id)
        assert site(mso, site_id)["status"] == "submitted"

        received = ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))
        assert (received["kind"], received["service_line"]) == ("site_go_live", None)
        evidence = received["readiness"]
        assert [c["item"] for c in evidence["checklist"]] == sorted(ITEMS)
        lease_sent = next(c for c in evidence["checklist"] if c["item"] == "lease")
        assert (lease_sent["recorded_by"], lease_sent["document_ref"]) == ("ann", "LEASE-7")
        assert lease_sent["note"] == "5 years"
        assert evidence["pro_forma"]["monthly_margin"] == MARGIN
        assert evidence["pro_forma"]["payback_months"] == PAYBACK

        refused = mso.post(f"/sites/{site_id}/go-live", headers=ADMIN)
        assert refused.status_code == 409, "the PC has not approved"

        approved = decide(pair, authorization_id, "approve", conditions=["MD on call"])
        decision_id = approved["decisions"][-1]["decision_id"]
        still = mso.post(f"/sites/{site_id}/go-live", headers=ADMIN)
        assert still.status_code == 409, "the approval has not arrived through the feed"
        assert site(mso, site_id)["status"] == "submitted"

        pair.sync()
        arrived = site(mso, site_id)
        assert arrived["status"] == "approved"
        assert arrived["authorization_id"] == authorization_id
        assert arrived["decision_id"] == decision_id
        assert arrived["conditions"] == ["MD on call"]

        response = mso.post(
            f"/sites/{site_id}/go-live", headers={**ADMIN, "If-Match": f'"{arrived["version"]}"'}
        )
        live = ok(response)
        assert live["status"] == "live"
        assert live["opened_on"] is not None
        assert response.headers["ETag"] == f'"{live["version"]}"'


def test_a_go_live_not_yet_effective_and_a_denial(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        first = ready_site(pair.mso, "North")["id"]
        decide(pair, request_go_live(pair, first), "approve", effective_date="2099-01-01")
        pair.sync()
        early = pair.mso.post(f"/sites/{first}/go-live", headers=ADMIN)
        assert early.status_code == 409
        assert early.json()["type"] == "/problems/go-live-not-effective"
        assert early.json()["effective_date"] == "2099-01-01"

        second = ready_site(pair.mso, "South")["id"]
        decide(pair, request_go_live(pair, second), "deny")
        pair.sync()
        denied = site(pair.mso, second)
        assert denied["status"] == "readying"
        assert denied["denial_reason"] == "deny: see the minutes"
        again = pair.mso.post(
            f"/sites/{second}/go-live-requests", json={"summary": "fixed"}, headers=ADMIN
        )
        assert again.status_code == 201, "a denied site may ask again"


def test_holds_by_each_party_and_closure(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        site_id = live_site(pair)
        authorization_id = site(mso, site_id)["authorization_id"]
        why = {"reason": "water damage"}
        held = ok(mso.post(f"/sites/{site_id}/suspend", json=why, headers=ADMIN))
        assert (held["status"], held["holds"]) == (
            "suspended",
            [{"by": "mso", "reason": "water damage"}],
        )
        twice = mso.post(f"/sites/{site_id}/suspend", json=why, headers=ADMIN)
        assert twice.status_code == 409
        assert (
            ok(mso.post(f"/sites/{site_id}/resume", json={"reason": "dry"}, headers=ADMIN))[
                "status"
            ]
            == "live"
        )

        decide(pair, authorization_id, "suspend")
        pair.sync()
        assert site(mso, site_id)["status"] == "suspended"
        by_mso = mso.post(f"/sites/{site_id}/resume", json={"reason": "r"}, headers=ADMIN)
        assert by_mso.status_code == 409
        assert by_mso.json()["type"] == "/problems/site-held-by-pc"
        decide(pair, authorization_id, "reinstate")
        pair.sync()
        assert site(mso, site_id)["status"] == "live"

        closed = ok(
            mso.post(f"/sites/{site_id}/close", json={"reason": "lease ended"}, headers=ADMIN)
        )
        assert (closed["status"], closed["closure_reason"]) == ("closed", "lease ended")
        for step, body in (("suspend", why), ("resume", why), ("close", why), ("readiness", None)):
            response = mso.post(f"/sites/{site_id}/{step}", json=body, headers=ADMIN)
            assert response.status_code == 409, (step, response.text)
            assert response.json()["current_status"] == "closed"
        line = mso.post(
            f"/sites/{site_id}/service-lines", json={"code": "sports_clearance"}, headers=ADMIN
        )
        assert line.status_code == 409
        assert line.json()["type"] == "/problems/site-closed"


def test_a_pc_revocation_closes_the_site(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        decide(pair, site(pair.mso, site_id)["authorization_id"], "revoke")
        pair.sync()
        closed = site(pair.mso, site_id)
        assert closed["status"] == "closed"
        assert closed["closure_reason"] == "revoke: see the minutes"


def test_a_meeting_decision_basis_must_be_in_the_decision_log(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = ready_site(pair.mso)["id"]
        authorization_id = request_go_live(pair, site_id)
        for reference in ("GM-2026-11 item 3", "8d3a0f5e-7b0c-4c7e-9f5d-2a1b3c4d5e6f"):
            refused = pair.pc.post(
                f"/authorizations/{authorization_id}/approve",
                json={
                    "effective_date": "2026-01-01",
                    "basis": {"kind": "meeting_decision", "reference": reference},
                },
                headers=DIRECTOR,
            )
            assert refused.status_code == 422, refused.text
            assert refused.json()["type"] == "/problems/meeting-decision-not-found"
        assert (
            ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))["decisions"]
            == []
        )

        _, decision_id = held_meeting(
            pair.pc, "2026-11", "authorization_request", about("site", site_id)
        )
        basis = {"kind": "meeting_decision", "reference": decision_id}
        approved = decide(pair, authorization_id, "approve", basis=basis)
        assert approved["decisions"][-1]["basis"] == recorded(
            basis, "authorization", authorization_id
        )
        pair.sync()
        assert site(pair.mso, site_id)["status"] == "approved"


def test_roles_versions_idempotency_and_bad_input(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        for role in ("mso_scheduler", "mso_billing", "auditor", "vendor", "medical_director"):
            response = mso.post(
                "/sites", json={"name": "X", "kind": "clinic", "address": "a"}, headers=auth(role)
            )
            assert response.status_code == 403, role
        assert (
            mso.post("/sites", json={"name": "X", "kind": "clinic", "address": "a"}).status_code
            == 401
        )

        key = {**ADMIN, "Idempotency-Key": "site-1"}
        body = {"name": "Eastside", "kind": "campus", "address": "1 Main", "pro_forma": PRO_FORMA}
        first = mso.post("/sites", json=body, headers=key)
        again = mso.post("/sites", json=body, headers=key)
        assert first.status_code == again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.json()["id"] == again.json()["id"]
        assert mso.post("/sites", json={**body, "name": "Other"}, headers=key).status_code == 422

        site_id = first.json()["id"]
        stale = mso.post(f"/sites/{site_id}/readiness", headers={**ADMIN, "If-Match": '"7"'})
        assert stale.status_code == 412
        assert site(mso, site_id)["status"] == "proposed"

        bad_figures = [
            {**PRO_FORMA, "startup_cost": "-1"},
            {**PRO_FORMA, "fixed_monthly_cost": "10.001"},
            {**PRO_FORMA, "lines": []},
            {**PRO_FORMA, "lines": PRO_FORMA["lines"][:1] * 2},
            {**PRO_FORMA, "lines": [{**PRO_FORMA["lines"][0], "service_line": "surgery"}]},
        ]
        for figures in bad_figures:
            response = mso.put(f"/sites/{site_id}/pro-forma", json=figures, headers=ADMIN)
            assert response.status_code == 422, (figures, response.text)
        assert (
            mso.put(
                f"/sites/{site_id}/checklist/lease", json={"met": True}, headers=ADMIN
            ).status_code
            == 409
        )
        ok(mso.post(f"/sites/{site_id}/readiness", headers=ADMIN))
        no_document = mso.put(
            f"/sites/{site_id}/checklist/lease", json={"met": True}, headers=ADMIN
        )
        assert no_document.status_code == 422
        assert no_document.json()["type"] == "/problems/evidence-required"
        unknown = mso.put(f"/sites/{site_id}/checklist/parking", json={"met": False}, headers=ADMIN)
        assert unknown.status_code == 422
        assert site(mso, site_id)["version"] == 3, "nothing written by the refusals"
        assert mso.get(f"/sites/{site_id}", headers=SCHEDULER).status_code == 200
        assert mso.post(f"/sites/{site_id}/go-live", headers=SCHEDULER).status_code == 403
        missing = mso.get("/sites/8d3a0f5e-7b0c-4c7e-9f5d-2a1b3c4d5e6f", headers=ADMIN)
        assert missing.status_code == 404


def test_lists_filter_page_and_rebuild(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        live = live_site(pair, "Live one")
        ready = ready_site(mso, "Ready one")["id"]
        plain = propose_site(mso, "Plain clinic", kind="clinic")["id"]
        ok(
            mso.put(
                f"/sites/{ready}/checklist/lease",
                json={"met": False, "note": "renegotiating"},
                headers=ADMIN,
            )
        )
        pair.sync()

        everything = ok(mso.get("/sites", params={"limit": 2}, headers=AUDITOR))
        rest = ok(mso.get("/sites", params={"cursor": everything["next_cursor"]}, headers=AUDITOR))
        rows = everything["items"] + rest["items"]
        assert [r["id"] for r in rows] == [live, ready, plain]
        assert [r["status"] for r in rows] == ["live", "readying", "proposed"]
        assert [r["readiness_met"] for r in rows] == [7, 6, 0]
        assert rows[0]["monthly_margin"] == MARGIN
        assert rows[0]["payback_months"] == PAYBACK
        assert rows[2]["monthly_margin"] is None
        assert rows[0]["opened_on"] is not None
        by_status = ok(mso.get("/sites", params={"status": "readying"}, headers=AUDITOR))
        assert [r["id"] for r in by_status["items"]] == [ready]
        by_kind = ok(mso.get("/sites", params={"kind": "clinic"}, headers=AUDITOR))
        assert [r["id"] for r in by_kind["items"]] == [plain]
        assert (
            ok(mso.get("/sites", params={"proposed_before": "2000-01-01"}, headers=AUDITOR))[
                "items"
            ]
            == []
        )
        assert mso.get("/sites", params={"status": "open"}, headers=AUDITOR).status_code == 422

        history = ok(
            mso.get(f"/sites/{ready}/checklist-evidence", params={"item": "lease"}, headers=AUDITOR)
        )
        assert [(e["met"], e["note"]) for e in history["items"]] == [
            (True, "lease done"),
            (False, "renegotiating"),
        ]
        unmet = ok(
            mso.get(f"/sites/{ready}/checklist-evidence", params={"met": "false"}, headers=AUDITOR)
        )
        assert len(unmet["items"]) == 1
        paged = ok(
            mso.get(f"/sites/{ready}/checklist-evidence", params={"limit": 5}, headers=AUDITOR)
        )
        assert len(paged["items"]) == 5
        assert paged["next_cursor"]

        pc_kinds = ok(
            pair.pc.get("/authorizations", params={"kind": "site_go_live"}, headers=DIRECTOR)
        )
        assert [a["site_id"] for a in pc_kinds["items"]] == [live]
        assert (
            ok(
                pair.pc.get("/authorizations", params={"kind": "material_change"}, headers=DIRECTOR)
            )["items"]
            == []
        )

        before = read_models(pair)
        pair.mso_runtime.projections.rebuild()
        assert read_models(pair) == before


def read_models(pair: Pair) -> dict[str, list[dict[str, Any]]]:
    runtime = pair.mso_runtime
    out = {}
    for name in ("mso_sites", "mso_site_evidence", "mso_service_lines", "mso_site_changes"):
        table = runtime.store.metadata.tables[name]
        with runtime.store.reader.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.position)).mappings().all()
        out[name] = [dict(r) for r in rows]
    return out


def test_a_basis_is_still_required(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        authorization_id = request_go_live(pair, ready_site(pair.mso)["id"])
        response = pair.pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={"effective_date": "2026-01-01"},
            headers=DIRECTOR,
        )
        assert response.status_code == 422
        mso_try = pair.pc.post(
            f"/authorizations/{authorization_id}/approve",
            json={"effective_date": "2026-01-01", "basis": MD_ACT},
            headers=ADMIN,
        )
        assert mso_try.status_code == 403
