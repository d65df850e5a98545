"""Supervision structures over HTTP, on each backend: rules, capacity, eligibility, violations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import auth
from tests.integration.clinician_helpers import (
    SERVICE,
    TODAY,
    Clock,
    clock,
    credentialed,
    pair,
    read_models,
    register,
    sweep,
)
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair

__all__ = ["clock", "pair"]  # fixtures

START = TODAY + timedelta(days=7)


def set_rules(pair: Pair, max_apps: int = 2, share: int = 20, **headers: str) -> Any:
    return pair.pc.put(
        "/supervision/rules",
        json={"max_apps_per_physician": max_apps, "chart_review_share_percent": share},
        headers={**DIRECTOR, **headers},
    )


def assign(
    pair: Pair, app: str, physician: str, start: date = START, end: date | None = None
) -> Any:
    body: dict[str, Any] = {
        "app_id": app,
        "physician_id": physician,
        "effective_from": start.isoformat(),
    }
    if end:
        body["effective_to"] = end.isoformat()
    return pair.pc.post("/supervision/assignments", json=body, headers=DIRECTOR)


def published(pair: Pair) -> list[dict[str, Any]]:
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE).json()
    return [m["payload"] for m in feed["messages"] if m["type"] == "supervision.rules-published"]


def test_rules_come_first_and_every_change_is_published(pair: Pair) -> None:
    physician, _ = credentialed(pair, "1000000101")
    app, _ = credentialed(pair, "2000000101", "np")
    early = assign(pair, app, physician)
    assert early.status_code == 409
    assert early.json()["type"] == "/problems/supervision-rules-required"
    assert pair.pc.get("/supervision/rules", headers=DIRECTOR).status_code == 404

    rules = set_rules(pair)
    assert rules.status_code == 200, rules.text
    assert rules.headers["ETag"] == '"2"'
    got = pair.pc.get("/supervision/rules", headers=auth("app"))
    assert got.json()["max_apps_per_physician"] == 2
    assert got.json()["chart_review_share_percent"] == 20

    made = assign(pair, app, physician, START, START + timedelta(days=90))
    assert made.status_code == 201, made.text
    assignment = made.json()
    assert made.headers["Location"] == f"/supervision/assignments/{assignment['id']}"
    assert assignment["status"] == "active"

    messages = published(pair)
    assert len(messages) == 2
    assert messages[0]["assignments"] == []
    assert messages[1] == {
        "max_apps_per_physician": 2,
        "chart_review_share_percent": 20,
        "assignments": [
            {
                "assignment_id": assignment["id"],
                "app_id": app,
                "physician_id": physician,
                "effective_from": START.isoformat(),
                "effective_to": (START + timedelta(days=90)).isoformat(),
            }
        ],
        "published_at": messages[1]["published_at"],
    }
    stale = set_rules(pair, max_apps=3, share=25, **{"If-Match": got.headers["ETag"]})
    assert stale.status_code == 412, "an assignment changed the structure since"
    etag = pair.pc.get("/supervision/rules", headers=DIRECTOR).headers["ETag"]
    changed = set_rules(pair, max_apps=3, share=25, **{"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert published(pair)[-1]["chart_review_share_percent"] == 25
    assert len(published(pair)[-1]["assignments"]) == 1


def test_a_physician_supervises_no_more_apps_than_the_rules_allow_on_any_day(
    pair: Pair,
) -> None:
    physician, _ = credentialed(pair, "1000000102")
    apps = [credentialed(pair, f"200000010{i}", "pa")[0] for i in range(3)]
    set_rules(pair, max_apps=2)
    assert assign(pair, apps[0], physician).status_code == 201
    assert assign(pair, apps[1], physician, START, START + timedelta(days=30)).status_code == 201

    head = pair.pc_runtime.application.head_position()
    over = assign(pair, apps[2], physician, START + timedelta(days=10))
    assert over.status_code == 409
    assert over.json()["type"] == "/problems/supervisor-at-capacity"
    assert over.json()["max_apps_per_physician"] == 2
    overlap = assign(pair, apps[0], physician, START + timedelta(days=100))
    assert overlap.status_code == 409
    assert overlap.json()["type"] == "/problems/supervision-assignment-overlaps"
    assert pair.pc_runtime.application.head_position() == head

    after = assign(pair, apps[2], physician, START + timedelta(days=31))
    assert after.status_code == 201, after.text
    tighter = set_rules(pair, max_apps=1)
    assert tighter.status_code == 409
    assert tighter.json()["type"] == "/problems/rules-exceeded-by-assignments"
    assert tighter.json()["physician_ids"] == [physician]


def test_only_eligible_clinicians_in_their_roles_are_assigned(pair: Pair) -> None:
    set_rules(pair)
    uncredentialed = register(pair, "1000000103")
    physician, _ = credentialed(pair, "3000000103")
    app, _ = credentialed(pair, "2000000103", "np")
    new_app = register(pair, "4000000103", "pa")
    head = pair.pc_runtime.application.head_position()

    refused = assign(pair, app, uncredentialed)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/supervisor-not-eligible"
    app_refused = assign(pair, new_app, physician)
    assert app_refused.status_code == 409
    assert app_refused.json()["type"] == "/problems/app-not-eligible"
    swapped = assign(pair, physician, app)
    assert swapped.status_code == 422
    assert swapped.json()["type"] == "/problems/invalid-supervision-assignment"
    unknown = assign(pair, app, "00000000-0000-0000-0000-000000000001")
    assert unknown.status_code == 422
    assert "physician_id" in unknown.json()["detail"]
    backwards = assign(pair, app, physician, START, START - timedelta(days=1))
    assert backwards.status_code == 422
    assert backwards.json()["type"] == "/problems/invalid-supervision-assignment"
    for bad, field in (({"max_apps_per_physician": 0}, "max_apps_per_physician"),):
        response = pair.pc.put(
            "/supervision/rules",
            json={"chart_review_share_percent": 10, **bad},
            headers=DIRECTOR,
        )
        assert response.status_code == 422
        assert field in response.text
    assert pair.pc_runtime.application.head_position() == head


def test_a_supervisor_whose_credential_expires_shows_as_a_violation_until_renewed(
    pair: Pair, clock: Clock
) -> None:
    set_rules(pair)
    physician, license_id = credentialed(
        pair, "1000000104", license_expires=TODAY + timedelta(days=3)
    )
    other, _ = credentialed(pair, "3000000104")
    app, _ = credentialed(pair, "2000000104", "np")
    flagged = assign(pair, app, physician, TODAY).json()["id"]
    fine = assign(pair, app, other, TODAY).json()["id"]
    pair.sync()
    assert pair.pc.get("/supervision/violations", headers=DIRECTOR).json()["items"] == []

    clock.set(TODAY + timedelta(days=5))
    sweep(pair, TODAY + timedelta(days=5))
    pair.sync()
    violations = pair.pc.get("/supervision/violations", headers=auth("pc_quality")).json()
    assert [(v["id"], v["reasons"]) for v in violations["items"]] == [
        (flagged, ["supervisor_not_eligible"])
    ]
    by_app = pair.pc.get("/supervision/violations", params={"app_id": app}, headers=DIRECTOR)
    assert [v["id"] for v in by_app.json()["items"]] == [flagged]
    by_other = pair.pc.get(
        "/supervision/violations", params={"physician_id": other}, headers=DIRECTOR
    )
    assert by_other.json()["items"] == []
    assert fine != flagged
    refused = assign(pair, credentialed(pair, "4000000104", "pa")[0], physician)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/supervisor-not-eligible"

    pair.pc.post(
        f"/clinicians/{physician}/credentials/{license_id}/renew",
        json={"expires_on": "2030-01-01", "source": "MBC"},
        headers=DIRECTOR,
    )
    pair.sync()
    assert pair.pc.get("/supervision/violations", headers=DIRECTOR).json()["items"] == []


def test_an_assignment_ends_once_and_drops_out_of_what_is_published(
    pair: Pair, clock: Clock
) -> None:
    set_rules(pair)
    physician, _ = credentialed(pair, "1000000105")
    app, _ = credentialed(pair, "2000000105", "pa")
    assignment_id = assign(pair, app, physician, TODAY).json()["id"]
    url = f"/supervision/assignments/{assignment_id}"
    current = pair.pc.get(url, headers=DIRECTOR)
    last_day = {"last_day": (TODAY + timedelta(days=1)).isoformat()}
    stale = pair.pc.post(f"{url}/end", json=last_day, headers={**DIRECTOR, "If-Match": '"1"'})
    assert stale.status_code == 412
    for role in ("physician", "app", "pc_quality", "auditor"):
        assert pair.pc.post(f"{url}/end", json=last_day, headers=auth(role)).status_code == 403
        assert set_rules(pair, **auth(role)).status_code == 403
        body = {"app_id": app, "physician_id": physician, "effective_from": "2030-01-01"}
        refused = pair.pc.post("/supervision/assignments", json=body, headers=auth(role))
        assert refused.status_code == 403
    ended = pair.pc.post(
        f"{url}/end", json=last_day, headers={**DIRECTOR, "If-Match": current.headers["ETag"]}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["status"] == "ended"
    assert ended.json()["effective_to"] == last_day["last_day"]
    again = pair.pc.post(f"{url}/end", json=last_day, headers=DIRECTOR)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/supervision-assignment-ended"
    assert published(pair)[-1]["assignments"][0]["effective_to"] == last_day["last_day"]

    clock.set(TODAY + timedelta(days=2))
    set_rules(pair, max_apps=4)
    assert published(pair)[-1]["assignments"] == []
    missing = pair.pc.post(
        "/supervision/assignments/00000000-0000-0000-0000-000000000002/end",
        json=last_day,
        headers=DIRECTOR,
    )
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/supervision-assignment-not-found"


def test_assignments_are_listed_by_party_day_and_status(pair: Pair) -> None:
    set_rules(pair, max_apps=3)
    p1, _ = credentialed(pair, "1000000106")
    p2, _ = credentialed(pair, "3000000106")
    a1, _ = credentialed(pair, "2000000106", "np")
    a2, _ = credentialed(pair, "4000000106", "pa")
    first = assign(pair, a1, p1, START, START + timedelta(days=10)).json()["id"]
    second = assign(pair, a2, p1, START + timedelta(days=20)).json()["id"]
    third = assign(pair, a1, p2, START).json()["id"]
    pair.pc.post(
        f"/supervision/assignments/{third}/end",
        json={"last_day": (START + timedelta(days=5)).isoformat()},
        headers=DIRECTOR,
    )
    pair.sync()

    def ids(**params: Any) -> list[str]:
        response = pair.pc.get("/supervision/assignments", params=params, headers=DIRECTOR)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["items"]]

    assert ids() == [first, second, third]
    assert ids(physician_id=p1) == [first, second]
    assert ids(app_id=a1) == [first, third]
    assert ids(active_on=(START + timedelta(days=3)).isoformat()) == [first, third]
    assert ids(active_on=(START + timedelta(days=8)).isoformat()) == [first]
    assert ids(active_on=(START + timedelta(days=30)).isoformat()) == [second]
    assert ids(status="ended") == [third]
    assert ids(physician_id=p1, app_id=a2) == [second]
    page = pair.pc.get("/supervision/assignments", params={"limit": 2}, headers=DIRECTOR).json()
    assert [r["id"] for r in page["items"]] == [first, second]
    rest = pair.pc.get(
        "/supervision/assignments",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=DIRECTOR,
    ).json()
    assert [r["id"] for r in rest["items"]] == [third]
    assert rest["next_cursor"] is None


def test_an_assignment_made_with_an_idempotency_key_is_made_once(pair: Pair) -> None:
    set_rules(pair)
    physician, _ = credentialed(pair, "1000000107")
    app, _ = credentialed(pair, "2000000107", "np")
    body = {"app_id": app, "physician_id": physician, "effective_from": START.isoformat()}
    headers = {**DIRECTOR, "Idempotency-Key": "assign-1"}
    first = pair.pc.post("/supervision/assignments", json=body, headers=headers)
    again = pair.pc.post("/supervision/assignments", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    pair.sync()
    assert len(pair.pc.get("/supervision/assignments", headers=DIRECTOR).json()["items"]) == 1


def test_the_supervision_read_model_rebuilt_from_zero_equals_the_live_one(
    pair: Pair, clock: Clock
) -> None:
    set_rules(pair)
    physician, _ = credentialed(pair, "1000000108", license_expires=TODAY + timedelta(days=1))
    app, _ = credentialed(pair, "2000000108", "np")
    kept = assign(pair, app, physician, TODAY).json()["id"]
    other, _ = credentialed(pair, "3000000108")
    ended = assign(pair, app, other, TODAY).json()["id"]
    pair.pc.post(
        f"/supervision/assignments/{ended}/end",
        json={"last_day": TODAY.isoformat()},
        headers=DIRECTOR,
    )
    clock.set(TODAY + timedelta(days=3))
    sweep(pair, TODAY + timedelta(days=3))
    pair.sync()
    live = read_models(pair)
    assert len(live["pc_supervision_assignments"]) == 2
    flags = {row[0].hex: row[-1] for row in live["pc_supervision_assignments"]}
    assert flags[kept.replace("-", "")] is False, "the lapsed supervisor is flagged"
    pair.pc_runtime.projections.rebuild()
    assert read_models(pair) == live
