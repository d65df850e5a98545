"""Protocols and standing orders over HTTP, on each backend: drafting, the Medical
Director's decisions, the in-effect question, reviews, the feed, and the read model."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.pc_governance.domain.protocol_version import one_year_after
from tests.conftest import auth
from tests.integration.conftest import DIRECTOR
from tests.integration.pages import every_page
from tests.integration.services import Pair

PHYSICIAN = auth("physician", "dr-roe")
SITE_A = str(uuid.uuid4())
SITE_B = str(uuid.uuid4())
TABLES = ("pc_protocols", "pc_protocol_service_lines", "pc_protocol_effectivity")


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def a_year_after(iso: str) -> str:
    return one_year_after(date.fromisoformat(iso)).isoformat()


def new(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Sports pre-participation clearance",
        "type": "protocol",
        "service_lines": ["sports_clearance"],
        "site_ids": [SITE_A],
        "body": "Auscultate heart and lungs; refer murmurs.",
        **overrides,
    }


def head(pair: Pair) -> int:
    return pair.pc_runtime.application.head_position()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{code}"
    return body


def create(pair: Pair, headers: dict[str, str] = DIRECTOR, **overrides: Any) -> str:
    response = pair.pc.post("/protocols", json=new(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def approve(pair: Pair, pid: str, number: int, offset: int, **extra: Any) -> dict[str, Any]:
    response = pair.pc.post(
        f"/protocols/{pid}/versions/{number}/approve",
        json={"effective_from": day(offset), **extra},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def in_effect(pair: Pair, site: str, line: str, offset: int) -> list[tuple[str, int]]:
    response = pair.pc.get(
        "/protocols/in-effect",
        params={"site_id": site, "service_line": line, "on": day(offset)},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text
    return [(i["protocol_id"], i["version"]) for i in response.json()["items"]]


def test_a_protocol_is_drafted_approved_and_superseded(pair: Pair) -> None:
    created = pair.pc.post("/protocols", json=new(), headers=PHYSICIAN)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    assert created.headers["location"] == f"/protocols/{pid}"
    assert created.headers["etag"] == '"1"'
    assert created.json()["versions"][0]["status"] == "draft"
    assert created.json()["created_by"] == "dr-roe"

    revised = pair.pc.post(
        f"/protocols/{pid}/versions/1/draft",
        json={"body": "v1 final"},
        headers={**PHYSICIAN, "If-Match": '"1"'},
    )
    assert revised.status_code == 200, revised.text
    assert (revised.json()["body"], revised.json()["revision"]) == ("v1 final", 2)
    assert revised.headers["etag"] == '"2"'

    v1 = approve(pair, pid, 1, 10)
    assert (v1["status"], v1["approved_by"], v1["effective_from"]) == (
        "approved",
        "dr-lee",
        day(10),
    )
    assert v1["review_due"] == a_year_after(day(10))

    drafted = pair.pc.post(f"/protocols/{pid}/versions", json={"body": "v2"}, headers=PHYSICIAN)
    assert drafted.status_code == 201, drafted.text
    assert drafted.headers["location"] == f"/protocols/{pid}/versions/2"
    approve(pair, pid, 2, 40)
    pair.sync()

    for reader in ("physician", "app", "pc_quality", "auditor"):
        got = pair.pc.get(f"/protocols/{pid}/versions/1", headers=auth(reader))
        assert got.status_code == 200, (reader, got.text)
        assert got.json()["body"] == "v1 final"
        assert got.json()["status"] == "superseded"
        assert got.json()["ended_on"] == day(40)
    protocol = pair.pc.get(f"/protocols/{pid}", headers=DIRECTOR)
    assert protocol.headers["etag"] == f'"{protocol.json()["version"]}"'
    assert protocol.json()["standing_version"] == 2
    assert [v["status"] for v in protocol.json()["versions"]] == ["superseded", "approved"]

    assert in_effect(pair, SITE_A, "sports_clearance", 9) == []
    assert in_effect(pair, SITE_A, "sports_clearance", 10) == [(pid, 1)]
    assert in_effect(pair, SITE_A, "sports_clearance", 39) == [(pid, 1)]
    assert in_effect(pair, SITE_A, "sports_clearance", 40) == [(pid, 2)]
    assert in_effect(pair, SITE_A, "sports_clearance", 4000) == [(pid, 2)]
    assert in_effect(pair, SITE_B, "sports_clearance", 40) == []
    assert in_effect(pair, SITE_A, "school_physical", 40) == []


def test_the_in_effect_question_covers_all_site_protocols_and_retirement(pair: Pair) -> None:
    mine = create(pair)
    everywhere = create(
        pair,
        title="Anaphylaxis standing order",
        type="standing_order",
        service_lines=["sports_clearance", "school_physical"],
        site_ids=None,
    )
    approve(pair, mine, 1, 0)
    approve(pair, everywhere, 1, 5)
    pair.sync()
    assert in_effect(pair, SITE_A, "sports_clearance", 5) == [(mine, 1), (everywhere, 1)]
    assert in_effect(pair, SITE_B, "school_physical", 5) == [(everywhere, 1)]
    answer = pair.pc.get(
        "/protocols/in-effect",
        params={"site_id": SITE_B, "service_line": "school_physical", "on": day(5)},
        headers=auth("auditor"),
    ).json()
    assert answer["items"][0]["title"] == "Anaphylaxis standing order"
    assert answer["items"][0]["type"] == "standing_order"

    retired = pair.pc.post(
        f"/protocols/{mine}/versions/1/retire",
        json={"reason": "replaced by AAP guidance"},
        headers=DIRECTOR,
    )
    assert retired.status_code == 200, retired.text
    assert (retired.json()["status"], retired.json()["ended_on"]) == ("retired", day(0))
    # a scheduled version retired before it takes effect never does
    pair.pc.post(f"/protocols/{everywhere}/versions", json={"body": "v2"}, headers=DIRECTOR)
    approve(pair, everywhere, 2, 20)
    cancelled = pair.pc.post(
        f"/protocols/{everywhere}/versions/2/retire",
        json={"reason": "withdrawn"},
        headers=DIRECTOR,
    )
    assert cancelled.status_code == 200, cancelled.text
    pair.sync()
    assert in_effect(pair, SITE_A, "sports_clearance", 5) == [(everywhere, 1)]
    assert in_effect(pair, SITE_A, "sports_clearance", 30) == [(everywhere, 1)]
    assert pair.pc.get(f"/protocols/{everywhere}", headers=DIRECTOR).json()["standing_version"] == 1


def test_the_mso_gets_title_version_and_dates_never_the_body(pair: Pair) -> None:
    pid = create(pair, body="CONFIDENTIAL clinical text")
    approve(pair, pid, 1, 3)
    pair.pc.post(f"/protocols/{pid}/versions", json={"body": "CONFIDENTIAL v2"}, headers=DIRECTOR)
    approve(pair, pid, 2, 9)
    feed = pair.pc.get("/contracts/v1/feed", headers=auth("service", "mso-ops")).json()
    messages = [m for m in feed["messages"] if m["type"].startswith("protocol.")]
    assert [(m["type"], m["payload"]["version"]) for m in messages] == [
        ("protocol.version-effective", 1),
        ("protocol.version-effective", 2),
        ("protocol.version-ended", 1),
    ]
    assert messages[0]["payload"] == {
        "protocol_id": pid,
        "title": "Sports pre-participation clearance",
        "type": "protocol",
        "version": 1,
        "service_lines": ["sports_clearance"],
        "site_ids": [SITE_A],
        "effective_from": day(3),
    }
    ended = messages[2]["payload"]
    assert (ended["reason"], ended["ended_on"], ended["superseded_by"]) == (
        "superseded",
        day(9),
        2,
    )
    assert "CONFIDENTIAL" not in str(feed)
    pair.sync()  # the MSO skips what it does not use yet, without stalling
    status = pair.mso.get("/readyz").json()
    assert status["follower_lag"] == 0
    assert status["follower_error"] is None


def test_reviews_and_the_review_due_list(pair: Pair) -> None:
    soon = create(pair, title="Soon")
    later = create(pair, title="Later")
    create(pair, title="Draft only")
    approve(pair, soon, 1, 0, review_due=day(20))
    approve(pair, later, 1, 0)
    pair.sync()

    def due(within: int) -> list[str]:
        page = pair.pc.get(
            "/protocols/review-due", params={"within": within}, headers=DIRECTOR
        ).json()
        return [item["id"] for item in page["items"]]

    assert due(10) == []
    assert due(30) == [soon]
    assert due(400) == [soon, later]
    refused = pair.pc.post(
        f"/protocols/{soon}/reviews", json={"notes": "still current"}, headers=PHYSICIAN
    )
    problem(refused, 403, "forbidden")
    reviewed = pair.pc.post(
        f"/protocols/{soon}/reviews", json={"notes": "still current"}, headers=DIRECTOR
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["versions"][0]["review_due"] == a_year_after(day(0))
    pair.sync()
    assert due(30) == []
    version = pair.pc.get(f"/protocols/{soon}/versions/1", headers=DIRECTOR).json()
    assert version["reviews"][0]["notes"] == "still current"
    assert version["reviews"][0]["reviewed_by"] == "dr-lee"


BAD = [
    ("unknown service line", new(service_lines=["dentistry"]), "body.service_lines.0"),
    ("no service line", new(service_lines=[]), "body.service_lines"),
    ("unknown type", new(type="memo"), "body.type"),
    ("blank title", new(title="  "), "body.title"),
    ("oversize body", new(body="x" * 100_001), "body.body"),
    ("empty site list", new(site_ids=[]), "body.site_ids"),
    ("unknown field", {**new(), "owner": "x"}, "body.owner"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD, ids=[c[0] for c in BAD])
def test_bad_input_names_the_field_and_writes_nothing(
    pair: Pair, case: str, body: dict[str, Any], field: str
) -> None:
    before = head(pair)
    response = pair.pc.post("/protocols", json=body, headers=DIRECTOR)
    assert any(e["field"] == field for e in problem(response, 422, "invalid-request")["errors"])
    assert head(pair) == before


def test_a_long_body_is_kept_whole(pair: Pair) -> None:
    text = "standing order line\n" * 4_900
    pid = create(pair, body=text)
    assert pair.pc.get(f"/protocols/{pid}/versions/1", headers=DIRECTOR).json()["body"] == (
        text.strip()
    )


def test_unworkable_dates_are_refused_and_write_nothing(pair: Pair) -> None:
    pid = create(pair)
    before = head(pair)
    url = f"/protocols/{pid}/versions/1/approve"
    past = pair.pc.post(url, json={"effective_from": day(-1)}, headers=DIRECTOR)
    problem(past, 422, "unworkable-protocol-date")
    early_review = pair.pc.post(
        url, json={"effective_from": day(5), "review_due": day(5)}, headers=DIRECTOR
    )
    problem(early_review, 422, "unworkable-protocol-date")
    missing = pair.pc.post(url, json={}, headers=DIRECTOR)
    assert problem(missing, 422, "invalid-request")["errors"][0]["field"] == "body.effective_from"
    assert head(pair) == before
    approve(pair, pid, 1, 10)
    pair.pc.post(f"/protocols/{pid}/versions", json={"body": "v2"}, headers=DIRECTOR)
    before = head(pair)
    overlapping = pair.pc.post(
        f"/protocols/{pid}/versions/2/approve", json={"effective_from": day(10)}, headers=DIRECTOR
    )
    problem(overlapping, 422, "unworkable-protocol-date")
    assert head(pair) == before


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("physician", "post", "/versions/1/approve", {"effective_from": "2030-01-01"}),
        ("physician", "post", "/versions/1/retire", {"reason": "x"}),
        ("app", "post", "/versions", {"body": "x"}),
        ("pc_quality", "post", "/versions/1/draft", {"body": "x"}),
        ("mso_admin", "post", "/versions/1/draft", {"body": "x"}),
        ("auditor", "post", "/versions/1/approve", {"effective_from": "2030-01-01"}),
    ],
)
def test_only_pc_physicians_draft_and_only_the_medical_director_decides(
    pair: Pair, role: str, method: str, path: str, body: dict[str, Any]
) -> None:
    pid = create(pair)
    before = head(pair)
    response = getattr(pair.pc, method)(f"/protocols/{pid}{path}", json=body, headers=auth(role))
    problem(response, 403, "forbidden")
    assert head(pair) == before


def test_the_mso_cannot_read_protocols(pair: Pair) -> None:
    pid = create(pair)
    for path in (f"/protocols/{pid}", f"/protocols/{pid}/versions/1", "/protocols"):
        problem(pair.pc.get(path, headers=auth("mso_admin")), 403, "forbidden")
    problem(pair.pc.post("/protocols", json=new(), headers=auth("app")), 403, "forbidden")


def test_illegal_transitions_are_conflicts_and_write_nothing(pair: Pair) -> None:
    pid = create(pair)
    before = head(pair)
    problem(
        pair.pc.post(f"/protocols/{pid}/versions", json={"body": "v2"}, headers=DIRECTOR),
        409,
        "invalid-protocol-transition",
    )
    problem(
        pair.pc.post(f"/protocols/{pid}/versions/1/retire", json={"reason": "x"}, headers=DIRECTOR),
        409,
        "invalid-protocol-transition",
    )
    problem(
        pair.pc.post(f"/protocols/{pid}/reviews", json={"notes": "x"}, headers=DIRECTOR),
        409,
        "no-standing-protocol-version",
    )
    assert head(pair) == before
    approve(pair, pid, 1, 0)
    before = head(pair)
    again = pair.pc.post(
        f"/protocols/{pid}/versions/1/approve", json={"effective_from": day(1)}, headers=DIRECTOR
    )
    assert problem(again, 409, "invalid-protocol-transition")["current_status"] == "approved"
    edit = pair.pc.post(f"/protocols/{pid}/versions/1/draft", json={"body": "x"}, headers=DIRECTOR)
    problem(edit, 409, "invalid-protocol-transition")
    problem(
        pair.pc.get(f"/protocols/{pid}/versions/2", headers=DIRECTOR),
        404,
        "protocol-version-not-found",
    )
    problem(pair.pc.get(f"/protocols/{uuid.uuid4()}", headers=DIRECTOR), 404, "protocol-not-found")
    assert head(pair) == before


def test_if_match_guards_every_change(pair: Pair) -> None:
    pid = create(pair)
    before = head(pair)
    stale = pair.pc.post(
        f"/protocols/{pid}/versions/1/draft",
        json={"body": "x"},
        headers={**DIRECTOR, "If-Match": '"7"'},
    )
    assert problem(stale, 412, "stale-version")["current_version"] == 1
    stale_approve = pair.pc.post(
        f"/protocols/{pid}/versions/1/approve",
        json={"effective_from": day(0)},
        headers={**DIRECTOR, "If-Match": '"2"'},
    )
    problem(stale_approve, 412, "stale-version")
    assert head(pair) == before
    fresh = pair.pc.post(
        f"/protocols/{pid}/versions/1/approve",
        json={"effective_from": day(0)},
        headers={**DIRECTOR, "If-Match": '"1"'},
    )
    assert fresh.status_code == 200
    assert fresh.headers["etag"] == '"2"'


def test_an_idempotency_key_creates_one_protocol(pair: Pair) -> None:
    headers = {**DIRECTOR, "Idempotency-Key": "protocol-42"}
    first = pair.pc.post("/protocols", json=new(), headers=headers)
    again = pair.pc.post("/protocols", json=new(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]


def test_the_list_paginates_and_filters(pair: Pair) -> None:
    ids = [
        create(
            pair,
            title=f"P{n}",
            type="policy" if n % 2 else "protocol",
            service_lines=["campus_walk_in"] if n % 3 == 0 else ["school_physical"],
        )
        for n in range(7)
    ]
    approve(pair, ids[1], 1, 0)
    approve(pair, ids[2], 1, 0)
    pair.pc.post(f"/protocols/{ids[2]}/versions/1/retire", json={"reason": "x"}, headers=DIRECTOR)
    pair.sync()
    seen = every_page(pair.pc, "/protocols", PHYSICIAN, limit=3)
    assert [item["id"] for item in seen] == ids

    def listed(**params: Any) -> list[str]:
        items = pair.pc.get("/protocols", params=params, headers=DIRECTOR).json()["items"]
        return [item["id"] for item in items]

    assert listed(type="policy") == [ids[1], ids[3], ids[5]]
    assert listed(service_line="campus_walk_in") == [ids[0], ids[3], ids[6]]
    assert listed(status="approved") == [ids[1]]
    assert listed(status="retired") == [ids[2]]
    assert listed(status="draft", type="protocol") == [ids[0], ids[4], ids[6]]
    problem(
        pair.pc.get("/protocols", params={"status": "lost"}, headers=DIRECTOR),
        422,
        "invalid-request",
    )
    problem(
        pair.pc.get("/protocols", params={"cursor": "garbage"}, headers=DIRECTOR),
        422,
        "invalid-cursor",
    )


def rows(pair: Pair, tables: tuple[str, ...] = TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row of the read model's tables, in a stable order, to compare after a rebuild."""
    store = pair.pc_runtime.store
    with store.reader.connect() as conn:
        return {
            name: sorted(
                (dict(r._mapping) for r in conn.execute(select(store.metadata.tables[name]))),
                key=repr,
            )
            for name in tables
        }


def test_the_read_model_rebuilt_from_zero_equals_the_live_one(pair: Pair) -> None:
    a = create(pair)
    b = create(pair, site_ids=None, service_lines=["school_physical", "community_physical"])
    approve(pair, a, 1, 0)
    approve(pair, b, 1, 2)
    pair.pc.post(f"/protocols/{b}/versions", json={"body": "v2"}, headers=DIRECTOR)
    approve(pair, b, 2, 30)
    pair.pc.post(f"/protocols/{b}/versions", json={"body": "v3"}, headers=DIRECTOR)
    approve(pair, b, 3, 60)
    pair.pc.post(f"/protocols/{b}/versions/3/retire", json={"reason": "x"}, headers=DIRECTOR)
    pair.pc.post(f"/protocols/{a}/reviews", json={"notes": "ok"}, headers=DIRECTOR)
    pair.sync()
    live = rows(pair)
    assert len(live["pc_protocol_effectivity"]) == 1 + 3 * 2
    pair.pc_runtime.projections.rebuild()
    assert rows(pair) == live
