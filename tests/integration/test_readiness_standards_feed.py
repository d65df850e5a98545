"""The PC's readiness standards crossing to the MSO: the MSO judges a
go-live or an authorization request against the version in force (version 0, the seven
fixed items, until the PC approves one), and the PC sees which version a request met."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.mso_performance_helpers import kpi, read_models
from tests.integration.services import Pair
from tests.integration.site_helpers import (
    ITEMS,
    MD_ACT,
    PRO_FORMA,
    make_ready,
    ok,
    propose_site,
    site,
)
from tests.integration.test_pc_protocols import problem
from tests.integration.test_readiness_standards import GO_LIVE_ITEMS, LINE_ITEMS, approved_standard


def request_go_live(pair: Pair, site_id: str) -> Any:
    return pair.mso.post(
        f"/sites/{site_id}/go-live-requests", json={"summary": "ready"}, headers=ADMIN
    )


def evidence(pair: Pair, site_id: str, item: str, document_ref: str | None = None) -> Any:
    body = {"met": True, "document_ref": document_ref}
    return pair.mso.put(f"/sites/{site_id}/checklist/{item}", json=body, headers=ADMIN)


def received_readiness(pair: Pair, kind: str, site_id: str) -> dict[str, Any]:
    """The readiness evidence of the site's pending request, as the PC holds it."""
    pair.sync()
    params = {"kind": kind, "site_id": site_id, "status": "pending"}
    pending = ok(pair.pc.get("/authorizations", params=params, headers=DIRECTOR))["items"]
    assert len(pending) == 1, pending
    shown = ok(pair.pc.get(f"/authorizations/{pending[0]['id']}", headers=DIRECTOR))
    readiness: dict[str, Any] = shown["readiness"]
    return readiness


def test_before_any_standard_the_go_live_is_judged_against_version_0(pair: Pair) -> None:
    v0 = ok(pair.mso.get("/readiness-standards/site-go-live", headers=ADMIN))
    assert (v0["version"], v0["standard_id"]) == (0, None)
    assert [i["key"] for i in v0["items"]] == list(ITEMS)
    site_id = propose_site(pair.mso, pro_forma=PRO_FORMA)["id"]
    make_ready(pair.mso, site_id)
    ok(request_go_live(pair, site_id), 201)
    standard = received_readiness(pair, "site_go_live", site_id)["standard"]
    assert standard == {"standard_id": None, "version": 0, "items": list(ITEMS)}


def test_the_go_live_is_judged_against_the_standard_the_pc_approved(pair: Pair) -> None:
    site_id = propose_site(pair.mso, pro_forma=PRO_FORMA)["id"]
    make_ready(pair.mso, site_id)  # the seven items of version 0, all met
    sid = approved_standard(pair)
    pair.sync()

    in_force = ok(pair.mso.get("/readiness-standards/site-go-live", headers=ADMIN))
    assert (in_force["version"], in_force["standard_id"]) == (1, sid)
    refused = problem(request_go_live(pair, site_id), 409, "site-not-ready")
    assert refused["missing"] == ["fire_inspection", "signage"]
    readiness = ok(pair.mso.get(f"/sites/{site_id}/readiness", headers=ADMIN))
    assert readiness["missing"] == ["fire_inspection", "signage"]
    assert [i["met"] for i in readiness["items"]] == [True, False, False]

    problem(evidence(pair, site_id, "equipment", "EQ-1"), 422, "unknown-checklist-item")
    problem(evidence(pair, site_id, "fire_inspection"), 422, "evidence-required")
    ok(evidence(pair, site_id, "fire_inspection", "FIRE-2026-7"))
    ok(evidence(pair, site_id, "signage"))  # no document asked for
    pair.mso_runtime.projections.catch_up()
    (row,) = [r for r in ok(pair.mso.get("/sites", headers=ADMIN))["items"] if r["id"] == site_id]
    assert (row["readiness_met"], row["readiness_share"]) == (3, "1.0000")  # of the PC's three
    ok(request_go_live(pair, site_id), 201)

    standard = received_readiness(pair, "site_go_live", site_id)["standard"]
    assert standard == {
        "standard_id": sid,
        "version": 1,
        "items": [i["key"] for i in GO_LIVE_ITEMS],
    }
    judged = ok(pair.mso.get(f"/sites/{site_id}/readiness", headers=ADMIN))["judged_against"]
    assert (judged["standard_id"], judged["version"]) == (sid, 1)


def test_a_service_line_request_must_answer_its_standard(pair: Pair) -> None:
    site_id = propose_site(pair.mso)["id"]
    line = {"code": "sports_clearance"}
    ok(pair.mso.post(f"/sites/{site_id}/service-lines", json=line, headers=ADMIN), 201)
    sid = approved_standard(
        pair, kind="service_line", service_line="sports_clearance", items=LINE_ITEMS
    )
    pair.sync()
    url = f"/sites/{site_id}/service-lines/sports_clearance/authorization-requests"

    def ask(*checklist: dict[str, Any]) -> Any:
        body = {"readiness": {"summary": "ready", "checklist": list(checklist)}}
        return pair.mso.post(url, json=body, headers=ADMIN)

    refused = problem(ask({"item": "room", "met": True}), 422, "readiness-standard-not-met")
    assert (refused["missing"], refused["standard_version"]) == (["ecg"], 1)
    without_evidence = ask({"item": "room", "met": True}, {"item": "ecg", "met": True})
    assert problem(without_evidence, 422, "readiness-standard-not-met")["missing"] == ["ecg"]
    ok(ask({"item": "room", "met": True}, {"item": "ecg", "met": True, "evidence": "ECG-9"}), 201)

    standard = received_readiness(pair, "service_line", site_id)["standard"]
    assert standard == {"standard_id": sid, "version": 1, "items": ["room", "ecg"]}


def test_after_a_retirement_nothing_is_in_force_until_a_new_version(pair: Pair) -> None:
    site_id = propose_site(pair.mso, pro_forma=PRO_FORMA)["id"]
    make_ready(pair.mso, site_id)
    sid = approved_standard(pair, items=GO_LIVE_ITEMS[:1])  # the lease only
    retire = {"reason": "under review", "basis": MD_ACT}
    ok(pair.pc.post(f"/readiness-standards/{sid}/retire", json=retire, headers=DIRECTOR))
    pair.sync()
    problem(request_go_live(pair, site_id), 409, "no-readiness-standard-in-force")
    problem(
        pair.mso.get("/readiness-standards/site-go-live", headers=ADMIN),
        409,
        "no-readiness-standard-in-force",
    )

    body = {"items": GO_LIVE_ITEMS[:1]}
    ok(pair.pc.post(f"/readiness-standards/{sid}/versions", json=body, headers=DIRECTOR), 201)
    ok(
        pair.pc.post(
            f"/readiness-standards/{sid}/versions/2/approve",
            json={"basis": MD_ACT},
            headers=DIRECTOR,
        )
    )
    pair.sync()
    ok(request_go_live(pair, site_id), 201)
    assert received_readiness(pair, "site_go_live", site_id)["standard"]["version"] == 2


def listed_site(pair: Pair, site_id: str) -> tuple[int, str]:
    pair.mso_runtime.projections.catch_up()
    (row,) = [r for r in ok(pair.mso.get("/sites", headers=ADMIN))["items"] if r["id"] == site_id]
    return row["readiness_met"], row["readiness_share"]


def expansion_readiness(pair: Pair, site_id: str) -> tuple[str, int]:
    board = ok(pair.mso.get("/dashboard", params={"site_id": site_id}, headers=ADMIN))
    reading = kpi(board, site_id, "expansion_readiness")
    return reading["value"], reading["sample_size"]


@pytest.mark.storage  # the standard kept as JSON, recounted and rebuilt on each backend
def test_readiness_is_counted_against_the_standard_in_force(pair: Pair) -> None:
    site_id = propose_site(pair.mso, pro_forma=PRO_FORMA)["id"]
    make_ready(pair.mso, site_id)  # the seven items of version 0, all met on documents
    assert listed_site(pair, site_id) == (7, "1.0000")
    assert expansion_readiness(pair, site_id) == ("1.0000", 7)

    sid = approved_standard(pair)  # lease, fire_inspection (on a document), signage
    pair.sync()
    assert listed_site(pair, site_id) == (1, "0.3333")  # recounted: only the lease is met
    assert expansion_readiness(pair, site_id) == ("0.3333", 3)
    shown = site(pair.mso, site_id)
    assert shown["readiness_share"] == "0.3333"
    assert [(i["item"], i["met"]) for i in shown["checklist"]] == [
        ("lease", True),
        ("fire_inspection", False),
        ("signage", False),
    ]

    ok(evidence(pair, site_id, "signage"))  # no document asked for: met
    assert listed_site(pair, site_id) == (2, "0.6667")
    assert expansion_readiness(pair, site_id) == ("0.6667", 3)

    retired = pair.pc.post(
        f"/readiness-standards/{sid}/retire",
        json={"reason": "Being rewritten", "basis": MD_ACT},
        headers=DIRECTOR,
    )
    ok(retired)
    pair.sync()  # counted against the retired version until a new one is approved
    assert listed_site(pair, site_id) == (2, "0.6667")
    assert site(pair.mso, site_id)["readiness_share"] == "0.6667"
    problem(request_go_live(pair, site_id), 409, "no-readiness-standard-in-force")

    before = read_models(pair, "mso_sites", "mso_kpi_levels", "mso_kpi_checklist")
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, "mso_sites", "mso_kpi_levels", "mso_kpi_checklist") == before
