"""Reference lab and courier over HTTP, on each backend: pickups, runs, results, overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.clinician_helpers import AS_SIGNER, SIGNER, credentialed_signer
from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.services import Pair, service_pair

BILLING = auth("mso_billing", "bill")
CLINICIAN = SIGNER  # the PC physician results are released to: eligible in `pair`
BASE = datetime.now(UTC).replace(microsecond=0)
LAB_TABLES = ("mso_lab_specimens", "mso_courier_runs")


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        credentialed_signer(services)
        yield services


def iso(moment: datetime) -> str:
    return moment.isoformat()


def hours(n: float) -> datetime:
    return BASE + timedelta(hours=n)


def site(pair: Pair, name: str = "Eastside HS") -> str:
    response = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def pickup(
    pair: Pair, site_id: str, reference: str, collected: datetime, line: str = "sports_clearance"
) -> dict[str, Any]:
    response = pair.mso.post(
        "/lab/specimens",
        json={
            "site_id": site_id,
            "service_line": line,
            "reference": reference,
            "collected_at": iso(collected),
        },
        headers=SCHEDULER,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def run(pair: Pair, site_id: str, *specimen_ids: str) -> dict[str, Any]:
    response = pair.mso.post(
        "/lab/runs",
        json={
            "site_id": site_id,
            "courier_vendor": "Bay Courier",
            "lab": "Quest SF",
            "specimen_ids": list(specimen_ids),
        },
        headers=SCHEDULER,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def step(pair: Pair, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    who = AS_SIGNER if path.endswith("/release-result") else SCHEDULER  # the clinician's act
    response = pair.mso.post(path, json=body or {}, headers=who)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def travelled(pair: Pair, run_id: str, departed: datetime, delivered: datetime) -> None:
    step(pair, f"/lab/runs/{run_id}/depart", {"at": iso(departed)})
    step(pair, f"/lab/runs/{run_id}/deliver", {"at": iso(delivered)})


def rows(pair: Pair, path: str, **params: Any) -> list[dict[str, Any]]:
    pair.mso_runtime.projections.catch_up()
    response = pair.mso.get(path, params=params, headers=BILLING)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def head(pair: Pair) -> int:
    return pair.mso_runtime.application.head_position()


def test_a_specimen_travels_to_the_lab_and_its_result_back_with_every_step_timed(
    pair: Pair,
) -> None:
    site_id = site(pair)
    first = pickup(pair, site_id, "EHS-0001", hours(-10))
    second = pickup(pair, site_id, "EHS-0002", hours(-9))
    assert first["status"] == "awaiting_pickup"
    assert first["collected_at"] == iso(hours(-10)).replace("+00:00", "Z")

    planned = run(pair, site_id, first["id"], second["id"])
    assert (planned["status"], planned["specimen_ids"]) == ("planned", [first["id"], second["id"]])
    got = pair.mso.get(f"/lab/runs/{planned['id']}", headers=BILLING)
    assert got.headers["ETag"] == '"1"'
    departed = pair.mso.post(
        f"/lab/runs/{planned['id']}/depart",
        json={"at": iso(hours(-6))},
        headers={**SCHEDULER, "If-Match": '"1"'},
    )
    assert departed.status_code == 200, departed.text
    assert departed.headers["ETag"] == '"2"'
    step(pair, f"/lab/runs/{planned['id']}/deliver", {"at": iso(hours(-5))})

    url = f"/lab/specimens/{first['id']}"
    specimen = pair.mso.get(url, headers=BILLING).json()
    assert specimen["status"] == "at_lab"
    assert specimen["run_id"] == planned["id"]
    assert specimen["lab"] == "Quest SF"
    step(pair, f"{url}/receive-result", {"at": iso(hours(-2))})
    released = step(pair, f"{url}/release-result", {"clinician_id": CLINICIAN})
    assert released["status"] == "result_released"
    assert released["released_to"] == CLINICIAN
    release_time = datetime.fromisoformat(released["result_released_at"])
    assert abs(release_time - datetime.now(UTC)) < timedelta(minutes=1), "now when omitted"

    [row] = rows(pair, "/lab/specimens", status="result_released")
    assert row["id"] == first["id"]
    assert row["receipt_seconds"] == 8 * 3600
    assert row["release_seconds"] == int((release_time - hours(-2)).total_seconds())
    assert row["cycle_seconds"] == int((release_time - hours(-10)).total_seconds())
    assert row["put_on_run_at"] is not None
    other = rows(pair, "/lab/specimens", status="at_lab")
    assert [(r["id"], r["cycle_seconds"]) for r in other] == [(second["id"], None)]
    [run_row] = rows(pair, "/lab/runs")
    assert (run_row["status"], run_row["specimen_count"]) == ("delivered", 2)

    stored: list[Any] = list(pair.mso_runtime.application.events.get(UUID(first["id"])))
    assert [type(e).__name__ for e in stored] == [
        "PickupLogged",
        "PutOnRun",
        "Departed",
        "DeliveredToLab",
        "ResultReceived",
        "ResultReleased",
    ]
    assert [e.meta.actor_id for e in stored] == [*["sam"] * 5, CLINICIAN], "the release: theirs"


def test_overdue_lists_each_stage_against_its_threshold(pair: Pair) -> None:
    site_id, elsewhere = site(pair), site(pair, "Westside MS")
    waiting_long = pickup(pair, site_id, "A", hours(-6))
    waiting_short = pickup(pair, site_id, "B", hours(-2))
    on_run = pickup(pair, site_id, "C", hours(-3))
    at_lab = pickup(pair, site_id, "D", hours(-10))
    received = pickup(pair, site_id, "E", hours(-10))
    released = pickup(pair, site_id, "F", hours(-10))
    pickup(pair, elsewhere, "G", hours(-6))
    run(pair, site_id, on_run["id"])
    carried = run(pair, site_id, at_lab["id"], received["id"], released["id"])
    travelled(pair, carried["id"], hours(-5), hours(-4))
    step(pair, f"/lab/specimens/{received['id']}/receive-result", {"at": iso(hours(-3.5))})
    step(pair, f"/lab/specimens/{released['id']}/receive-result", {"at": iso(hours(-3))})
    step(
        pair,
        f"/lab/specimens/{released['id']}/release-result",
        {"clinician_id": CLINICIAN, "at": iso(hours(-2))},
    )

    soon = rows(pair, "/lab/overdue", as_of=iso(hours(1)), site_id=site_id)
    assert [(r["reference"], r["stage"]) for r in soon] == [("A", "pickup")]
    assert (soon[0]["hours_waiting"], soon[0]["threshold_hours"]) == (7.0, 4)
    assert (
        soon[0]["waiting_since"] == rows(pair, "/lab/specimens", site_id=site_id)[0]["collected_at"]
    )
    stricter = rows(
        pair,
        "/lab/overdue",
        as_of=iso(hours(1)),
        site_id=site_id,
        result_hours=4,
        release_hours=2,
    )
    assert [(r["reference"], r["stage"], r["threshold_hours"]) for r in stricter] == [
        ("A", "pickup", 4),
        ("D", "result", 4),
        ("E", "release", 2),
    ]
    later = rows(pair, "/lab/overdue", as_of=iso(hours(7)), site_id=site_id)
    assert [(r["reference"], r["stage"]) for r in later] == [
        ("A", "pickup"),
        ("B", "pickup"),
        ("C", "delivery"),
    ]
    only_delivery = rows(pair, "/lab/overdue", as_of=iso(hours(7)), stage="delivery")
    assert [r["id"] for r in only_delivery] == [on_run["id"]]
    everywhere = rows(pair, "/lab/overdue", as_of=iso(hours(1)))
    assert [r["reference"] for r in everywhere] == ["A", "G"]
    assert waiting_long["id"] != waiting_short["id"]
    assert all(r["reference"] != "F" for r in rows(pair, "/lab/overdue", as_of=iso(hours(999))))


def test_a_cancelled_run_sends_its_specimens_back_to_await_pickup(pair: Pair) -> None:
    site_id = site(pair)
    specimen = pickup(pair, site_id, "EHS-7", hours(-1))
    first = run(pair, site_id, specimen["id"])
    again = pair.mso.post(
        "/lab/runs",
        json={
            "site_id": site_id,
            "courier_vendor": "Other",
            "lab": "Quest SF",
            "specimen_ids": [specimen["id"]],
        },
        headers=SCHEDULER,
    )
    assert again.status_code == 409, "a specimen is on one run at a time"
    assert again.json()["type"] == "/problems/invalid-specimen-transition"
    cancelled = step(pair, f"/lab/runs/{first['id']}/cancel", {"reason": "courier no-show"})
    assert (cancelled["status"], cancelled["cancellation_reason"]) == (
        "cancelled",
        "courier no-show",
    )
    back = pair.mso.get(f"/lab/specimens/{specimen['id']}", headers=SCHEDULER).json()
    assert (back["status"], back["run_id"]) == ("awaiting_pickup", None)
    second = run(pair, site_id, specimen["id"])
    assert rows(pair, "/lab/specimens")[0]["run_id"] == second["id"]
    assert [r["status"] for r in rows(pair, "/lab/runs")] == ["cancelled", "planned"]
    late = pair.mso.post(f"/lab/runs/{first['id']}/depart", json={}, headers=SCHEDULER)
    assert late.status_code == 409
    assert late.json()["type"] == "/problems/invalid-courier-run-transition"


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{code}"
    return body


def test_what_breaks_a_rule_is_refused_and_writes_nothing(pair: Pair) -> None:
    site_id, other_site = site(pair), site(pair, "Westside MS")
    specimen = pickup(pair, site_id, "EHS-1", hours(-3))
    elsewhere = pickup(pair, other_site, "WMS-1", hours(-3))
    before = head(pair)
    post = pair.mso.post

    def specimen_body(**changes: Any) -> dict[str, Any]:
        return {
            "site_id": site_id,
            "service_line": "sports_clearance",
            "reference": "EHS-2",
            "collected_at": iso(hours(-1)),
        } | changes

    problem(
        post("/lab/specimens", json=specimen_body(reference="EHS-1"), headers=ADMIN),
        409,
        "specimen-already-logged",
    )
    problem(
        post("/lab/specimens", json=specimen_body(site_id=CLINICIAN), headers=ADMIN),
        404,
        "site-not-found",
    )
    problem(
        post("/lab/specimens", json=specimen_body(site_id=specimen["id"]), headers=ADMIN),
        404,
        "site-not-found",
    )
    free_text = post("/lab/specimens", json=specimen_body(reference="HbA1c panel"), headers=ADMIN)
    assert problem(free_text, 422, "invalid-request")["errors"][0]["field"] == "body.reference"
    naive = post(
        "/lab/specimens", json=specimen_body(collected_at="2027-01-01T10:00:00"), headers=ADMIN
    )
    assert problem(naive, 422, "invalid-request")["errors"][0]["field"] == "body.collected_at"
    future = post("/lab/specimens", json=specimen_body(collected_at=iso(hours(2))), headers=ADMIN)
    assert problem(future, 422, "step-time-in-future")["field"] == "collected_at"

    def run_body(*ids: str) -> dict[str, Any]:
        return {"site_id": site_id, "courier_vendor": "Bay", "lab": "Quest", "specimen_ids": ids}

    problem(
        post("/lab/runs", json=run_body(elsewhere["id"]), headers=ADMIN), 422, "invalid-manifest"
    )
    problem(post("/lab/runs", json=run_body(CLINICIAN), headers=ADMIN), 422, "invalid-manifest")
    problem(post("/lab/runs", json=run_body(site_id), headers=ADMIN), 422, "invalid-manifest")
    problem(
        post("/lab/runs", json=run_body(specimen["id"], specimen["id"]), headers=ADMIN),
        422,
        "invalid-manifest",
    )
    problem(post("/lab/runs", json=run_body(), headers=ADMIN), 422, "invalid-request")
    result_too_early = post(
        f"/lab/specimens/{specimen['id']}/receive-result", json={}, headers=ADMIN
    )
    assert problem(result_too_early, 409, "invalid-specimen-transition")["current_status"] == (
        "awaiting_pickup"
    )
    problem(
        post(f"/lab/specimens/{CLINICIAN}/receive-result", json={}, headers=ADMIN),
        404,
        "specimen-not-found",
    )
    problem(
        post(f"/lab/runs/{CLINICIAN}/depart", json={}, headers=ADMIN), 404, "courier-run-not-found"
    )
    problem(
        pair.mso.get(f"/lab/runs/{specimen['id']}", headers=ADMIN), 404, "courier-run-not-found"
    )
    assert head(pair) == before

    carried = run(pair, site_id, specimen["id"])
    before = head(pair)
    stale = post(f"/lab/runs/{carried['id']}/depart", json={}, headers={**ADMIN, "If-Match": '"7"'})
    problem(stale, 412, "stale-version")
    before_collection = post(
        f"/lab/runs/{carried['id']}/depart", json={"at": iso(hours(-4))}, headers=ADMIN
    )
    assert problem(before_collection, 422, "step-time-out-of-order")["field"] == "departed_at"
    problem(
        post(f"/lab/runs/{carried['id']}/deliver", json={}, headers=ADMIN),
        409,
        "invalid-courier-run-transition",
    )
    assert head(pair) == before
    assert pair.mso.get(f"/lab/runs/{carried['id']}", headers=ADMIN).json()["status"] == "planned"


def test_only_mso_staff_coordinate_and_mso_readers_read(pair: Pair) -> None:
    site_id = site(pair)
    body = {
        "site_id": site_id,
        "service_line": "campus_walk_in",
        "reference": "EHS-1",
        "collected_at": iso(hours(-1)),
    }
    for role in ("mso_billing", "auditor", "vendor", "medical_director", "physician", "service"):
        refused = pair.mso.post("/lab/specimens", json=body, headers=auth(role))
        assert refused.status_code == 403, role
    assert pair.mso.post("/lab/specimens", json=body).status_code == 401
    assert pair.mso.get("/lab/overdue").status_code == 401
    for role in ("vendor", "medical_director"):
        assert pair.mso.get("/lab/specimens", headers=auth(role)).status_code == 403
    assert pair.mso.get("/lab/runs", headers=auth("auditor")).status_code == 200


def test_creating_posts_replay_with_the_same_idempotency_key(pair: Pair) -> None:
    site_id = site(pair)
    specimen_body = {
        "site_id": site_id,
        "service_line": "campus_walk_in",
        "reference": "EHS-1",
        "collected_at": iso(hours(-1)),
    }
    headers = {**SCHEDULER, "Idempotency-Key": "pickup-1"}
    first = pair.mso.post("/lab/specimens", json=specimen_body, headers=headers)
    again = pair.mso.post("/lab/specimens", json=specimen_body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Location"] == f"/lab/specimens/{first.json()['id']}"
    run_body = {
        "site_id": site_id,
        "courier_vendor": "Bay",
        "lab": "Quest",
        "specimen_ids": [first.json()["id"]],
    }
    headers = {**SCHEDULER, "Idempotency-Key": "run-1"}
    planned = pair.mso.post("/lab/runs", json=run_body, headers=headers)
    replayed = pair.mso.post("/lab/runs", json=run_body, headers=headers)
    assert replayed.json() == planned.json()
    assert replayed.headers["ETag"] == '"1"'
    reused = pair.mso.post("/lab/runs", json={**run_body, "lab": "Other"}, headers=headers)
    problem(reused, 422, "idempotency-key-reused")
    assert len(rows(pair, "/lab/runs")) == 1


def read_models(pair: Pair) -> dict[str, list[dict[str, Any]]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: [
                dict(r)
                for r in conn.execute(select(tables[name]).order_by(tables[name].c.position))
                .mappings()
                .all()
            ]
            for name in LAB_TABLES
        }


def test_lists_page_and_filter_and_rebuild_to_the_live_rows(pair: Pair) -> None:
    east, west = site(pair), site(pair, "Westside MS")
    ids = [pickup(pair, east, f"E-{n}", hours(-10 + n))["id"] for n in range(5)]
    west_id = pickup(pair, west, "W-1", hours(-8), line="school_physical")["id"]
    done = run(pair, east, ids[0], ids[1])
    travelled(pair, done["id"], hours(-4), hours(-3))
    step(pair, f"/lab/specimens/{ids[0]}/receive-result", {"at": iso(hours(-2))})
    step(pair, f"/lab/specimens/{ids[0]}/release-result", {"clinician_id": CLINICIAN})
    cancelled = run(pair, east, ids[2])
    step(pair, f"/lab/runs/{cancelled['id']}/cancel", {"reason": "weather"})
    run(pair, west, west_id)

    pair.mso_runtime.projections.catch_up()
    page = pair.mso.get("/lab/specimens", params={"limit": 2}, headers=BILLING).json()
    assert [r["id"] for r in page["items"]] == ids[:2]
    rest = pair.mso.get(
        "/lab/specimens", params={"limit": 10, "cursor": page["next_cursor"]}, headers=BILLING
    ).json()
    assert [r["id"] for r in rest["items"]] == [*ids[2:], west_id]
    assert rest["next_cursor"] is None
    assert [r["id"] for r in rows(pair, "/lab/specimens", site_id=west)] == [west_id]
    assert [r["id"] for r in rows(pair, "/lab/specimens", service_line="school_physical")] == [
        west_id
    ]
    assert rows(pair, "/lab/overdue", as_of=iso(hours(9)), service_line="campus_walk_in") == []
    assert [
        r["id"]
        for r in rows(pair, "/lab/overdue", as_of=iso(hours(9)), service_line="school_physical")
    ] == [west_id]
    assert [r["id"] for r in rows(pair, "/lab/specimens", run_id=done["id"])] == ids[:2]
    window = rows(
        pair,
        "/lab/specimens",
        collected_from=iso(hours(-9)),
        collected_before=iso(hours(-7)),
    )
    assert [r["id"] for r in window] == [ids[1], ids[2], west_id]
    assert [r["id"] for r in rows(pair, "/lab/specimens", status="awaiting_pickup")] == ids[2:]
    assert [r["status"] for r in rows(pair, "/lab/runs", site_id=east)] == [
        "delivered",
        "cancelled",
    ]
    assert len(rows(pair, "/lab/runs", status="planned")) == 1
    assert rows(pair, "/lab/runs", planned_before=iso(hours(-1))) == []
    assert len(rows(pair, "/lab/runs", planned_from=iso(hours(-1)))) == 3
    bad = pair.mso.get("/lab/specimens", params={"status": "lost"}, headers=BILLING)
    problem(bad, 422, "invalid-request")
    problem(
        pair.mso.get("/lab/runs", params={"cursor": "nope"}, headers=BILLING), 422, "invalid-cursor"
    )

    pair.sync()
    live = read_models(pair)
    assert [len(live[t]) for t in LAB_TABLES] == [6, 3]
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
