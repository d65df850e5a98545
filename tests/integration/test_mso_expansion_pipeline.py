"""The expansion pipeline over HTTP: seed 003's steps each on the record, a board review of
a complete case, conversion into a proposed site, and the PC's go-live shown, not made."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.services import Pair
from tests.integration.site_helpers import PRO_FORMA, go_live, ok

PROSPECTS = "/expansion/prospects"
ACCOUNT_ID = "6a0e5a52-3f7e-4d3b-8a51-0c2f9b7e4d11"
PROSPECT = {
    "name": "Westfield campus clinic",
    "kind": "campus",
    "area": "Westfield Unified, north county",
    "rationale": "No sports clearance within 20 miles",
}
MARKET = {"summary": "Two family practices, no sports medicine", "services_nearby": ["FP"]}
REVIEW = {"held_on": "2026-08-12", "outcome": "endorsed", "minutes_ref": "BOARD-8"}


def identify(pair: Pair, **changes: Any) -> dict[str, Any]:
    return ok(pair.mso.post(PROSPECTS, json={**PROSPECT, **changes}, headers=ADMIN), 201)


def step(pair: Pair, prospect_id: str, name: str, body: dict[str, Any]) -> Any:
    return pair.mso.post(f"{PROSPECTS}/{prospect_id}/{name}", json=body, headers=ADMIN)


def refused(response: Any, code: str, status: int = 409) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["type"].endswith(code), body
    return body


def listed(pair: Pair, **params: Any) -> list[str]:
    pair.sync()
    page = ok(pair.mso.get(PROSPECTS, params=params, headers=SCHEDULER))
    return [row["name"] for row in page["items"]]


@pytest.mark.storage  # the conversion saves two aggregates at once: on each backend
def test_a_prospect_goes_through_the_steps_into_a_site_the_pc_takes_live(pair: Pair) -> None:
    created = pair.mso.post(PROSPECTS, json=PROSPECT, headers=ADMIN)
    assert created.status_code == 201, created.text
    prospect = created.json()
    pid = prospect["id"]
    assert created.headers["Location"] == f"{PROSPECTS}/{pid}"
    assert (prospect["stage"], prospect["site"], prospect["version"]) == ("identified", None, 1)

    # The board reviews a complete case only; nothing converts without its endorsement.
    early = refused(step(pair, pid, "board-review", REVIEW), "invalid-prospect-step")
    assert early["missing"] == ["market assessment", "short list of customers", "pro forma"]
    refused(step(pair, pid, "conversion", {"address": "400 Campus Dr"}), "invalid-prospect-step")

    assert ok(step(pair, pid, "market", MARKET))["stage"] == "market_assessed"
    named = {"name": "Westfield Unified School District", "kind": "school_district"}
    assert ok(step(pair, pid, "accounts", named))["stage"] == "shortlisted"
    linked = {"name": "Westfield Wolves", "kind": "team", "account_id": ACCOUNT_ID}
    ok(step(pair, pid, "accounts", linked))
    again = {"name": "westfield wolves", "kind": "team"}
    refused(step(pair, pid, "accounts", again), "invalid-prospect-step")
    assert ok(step(pair, pid, "pro-forma", PRO_FORMA))["stage"] == "pro_forma"

    returned = ok(step(pair, pid, "board-review", {**REVIEW, "outcome": "returned"}))
    assert returned["stage"] == "pro_forma"
    endorsed = ok(step(pair, pid, "board-review", REVIEW))
    assert endorsed["stage"] == "endorsed"
    assert [r["outcome"] for r in endorsed["board_reviews"]] == ["returned", "endorsed"]
    # A new pro forma sets the endorsement aside: the board reviews what it endorses.
    cheaper = {**PRO_FORMA, "startup_cost": "9000.00"}
    assert ok(step(pair, pid, "pro-forma", cheaper))["stage"] == "pro_forma"
    refused(step(pair, pid, "conversion", {"address": "400 Campus Dr"}), "invalid-prospect-step")
    ok(step(pair, pid, "board-review", REVIEW))

    assert listed(pair, stage="endorsed") == ["Westfield campus clinic"]
    assert listed(pair, account_id=ACCOUNT_ID) == ["Westfield campus clinic"]
    assert listed(pair, stage="identified") == []

    converted = ok(step(pair, pid, "conversion", {"address": "400 Campus Dr"}))
    assert converted["stage"] == "converted"
    site_id = converted["site"]["site_id"]
    assert (converted["site"]["status"], converted["site"]["decision_id"]) == ("proposed", None)
    site = ok(pair.mso.get(f"/sites/{site_id}", headers=ADMIN))
    assert (site["name"], site["kind"], site["address"]) == (
        "Westfield campus clinic",
        "campus",
        "400 Campus Dr",
    )
    assert site["pro_forma"]["startup_cost"] == "9000.00"
    refused(step(pair, pid, "withdrawal", {"reason": "late"}), "invalid-prospect-step")

    # The go-live runs on the site's own path; the MSO asks, the PC decides. The prospect shows it.
    authorization_id = go_live(pair, site_id)
    shown = ok(pair.mso.get(f"{PROSPECTS}/{pid}", headers=SCHEDULER))
    assert shown["site"]["status"] == "live"
    assert shown["site"]["authorization_id"] == authorization_id
    assert shown["site"]["decision_id"] is not None
    assert [a["account_id"] for a in shown["accounts"]] == [None, ACCOUNT_ID]
    pair.sync()
    rows = ok(pair.mso.get(PROSPECTS, params={"stage": "converted"}, headers=ADMIN))["items"]
    assert [(r["site_id"], r["account_count"], r["board_outcome"]) for r in rows] == [
        (site_id, 2, "endorsed")
    ]


def test_refusals_write_nothing(pair: Pair) -> None:
    for bad in (
        {**PROSPECT, "kind": "hospital"},
        {**PROSPECT, "name": "x" * 201},
        {**PROSPECT, "rationale": ""},
        {**PROSPECT, "extra": 1},
    ):
        assert pair.mso.post(PROSPECTS, json=bad, headers=ADMIN).status_code == 422, bad
    assert pair.mso.post(PROSPECTS, json=PROSPECT, headers=SCHEDULER).status_code == 403
    assert listed(pair) == []

    key = {**ADMIN, "Idempotency-Key": "prospect-westfield-1"}
    first = ok(pair.mso.post(PROSPECTS, json=PROSPECT, headers=key), 201)
    again = pair.mso.post(PROSPECTS, json=PROSPECT, headers=key)
    assert again.json()["id"] == first["id"], "a retried create finds what it made"
    assert listed(pair) == ["Westfield campus clinic"]

    pid = identify(pair)["id"]
    for name, body in (
        ("market", {"summary": "ok", "services_nearby": ["x"] * 21}),
        ("accounts", {"name": "Acme", "kind": "hospital"}),
        ("accounts", {"name": "Acme", "kind": "team", "account_id": "nope"}),
        ("pro-forma", {**PRO_FORMA, "startup_cost": "-1.00"}),
        ("board-review", {**REVIEW, "outcome": "approved"}),
        ("board-review", {**REVIEW, "held_on": "3000-01-01"}),
        ("withdrawal", {"reason": ""}),
    ):
        assert step(pair, pid, name, body).status_code == 422, (name, body)
    unknown = "00000000-0000-4000-8000-000000000002"
    refused(pair.mso.get(f"{PROSPECTS}/{unknown}", headers=ADMIN), "prospect-not-found", 404)
    refused(step(pair, unknown, "market", MARKET), "prospect-not-found", 404)
    stale = pair.mso.post(
        f"{PROSPECTS}/{pid}/market", json=MARKET, headers={**ADMIN, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    shown = ok(pair.mso.get(f"{PROSPECTS}/{pid}", headers=ADMIN))
    assert (shown["stage"], shown["version"], shown["market"]) == ("identified", 1, None)

    withdrawn = ok(step(pair, pid, "withdrawal", {"reason": "The district chose another"}))
    assert (withdrawn["stage"], withdrawn["closing_reason"]) == (
        "withdrawn",
        "The district chose another",
    )
    refused(step(pair, pid, "market", MARKET), "invalid-prospect-step")
    # A declined case is final too.
    declined = identify(pair, name="Eastfield")["id"]
    ok(step(pair, declined, "market", MARKET))
    ok(step(pair, declined, "accounts", {"name": "Eastfield Eagles", "kind": "team"}))
    ok(step(pair, declined, "pro-forma", PRO_FORMA))
    assert (
        ok(step(pair, declined, "board-review", {**REVIEW, "outcome": "declined"}))["stage"]
        == "declined"
    )
    refused(step(pair, declined, "board-review", REVIEW), "invalid-prospect-step")
    assert listed(pair, stage="declined") == ["Eastfield"]
