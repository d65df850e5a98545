"""Visit templates over HTTP, on each backend: drafting, the Medical Director's approvals
and retirement, roles, refusals, the list, history, the feed and the read model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import auth
from tests.integration.conftest import DIRECTOR
from tests.integration.meeting_helpers import about, held_meeting, recorded
from tests.integration.pages import every_page
from tests.integration.services import Pair
from tests.integration.test_pc_protocols import problem, rows

PHYSICIAN = auth("physician", "dr-roe")
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-2026-021"}
SITE_A = str(uuid.uuid4())
SITE_B = str(uuid.uuid4())
TABLES = ("pc_visit_templates", "pc_visit_template_sites")


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def terms(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Sports clearance, campus",
        "service_line": "sports_clearance",
        "site_ids": [SITE_A],
        "clinician_roles": ["physician", "np"],
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 3,
        "max_clinician_hours_per_day": 8,
        **overrides,
    }


def head(pair: Pair) -> int:
    return pair.pc_runtime.application.head_position()


def create(pair: Pair, headers: dict[str, str] = DIRECTOR, **overrides: Any) -> str:
    response = pair.pc.post("/visit-templates", json=terms(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def approve(
    pair: Pair, tid: str, number: int, offset: int, basis: dict[str, str] = MD_ACT
) -> dict[str, Any]:
    response = pair.pc.post(
        f"/visit-templates/{tid}/versions/{number}/approve",
        json={"effective_from": day(offset), "basis": basis},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def retire(pair: Pair, tid: str, offset: int, **extra: Any) -> Any:
    body = {"reason": "summer closure", "ended_on": day(offset), "basis": MD_ACT, **extra}
    return pair.pc.post(f"/visit-templates/{tid}/retire", json=body, headers=DIRECTOR)


def feed(pair: Pair) -> list[dict[str, Any]]:
    page = pair.pc.get("/contracts/v1/feed", headers=auth("service", "mso-ops")).json()
    return [m for m in page["messages"] if m["type"].startswith("visit-template.")]


def test_a_template_is_drafted_revised_approved_replaced_and_retired(pair: Pair) -> None:
    created = pair.pc.post("/visit-templates", json=terms(), headers=PHYSICIAN)
    assert created.status_code == 201, created.text
    tid = created.json()["id"]
    assert created.headers["location"] == f"/visit-templates/{tid}"
    assert created.headers["etag"] == '"1"'
    assert (created.json()["status"], created.json()["created_by"]) == ("draft", "dr-roe")

    revised = pair.pc.post(
        f"/visit-templates/{tid}/versions/1/draft",
        json=terms(visit_minutes=15, max_patients_per_clinician_hour=4),
        headers={**PHYSICIAN, "If-Match": '"1"'},
    )
    assert revised.status_code == 200, revised.text
    v1 = revised.json()["versions"][0]
    assert (v1["revision"], v1["terms"]["visit_minutes"]) == (2, 15)

    approved = approve(pair, tid, 1, 5)
    v1 = approved["versions"][0]
    assert (approved["status"], v1["status"], v1["effective_from"]) == (
        "approved",
        "approved",
        day(5),
    )
    assert (v1["approved_by"], v1["basis"]) == ("dr-lee", recorded(MD_ACT, "visit_template", tid))
    uuid.UUID(v1["decision_id"])

    drafted = pair.pc.post(
        f"/visit-templates/{tid}/versions",
        json=terms(max_clinician_hours_per_day=6, site_ids=None),
        headers=PHYSICIAN,
    )
    assert drafted.status_code == 201, drafted.text
    assert [v["status"] for v in drafted.json()["versions"]] == ["approved", "draft"]
    replaced = approve(pair, tid, 2, 30)
    assert [(v["status"], v["ended_on"]) for v in replaced["versions"]] == [
        ("superseded", day(30)),
        ("approved", None),
    ]
    assert replaced["standing_version"] == 2

    retired = retire(pair, tid, 60)
    assert retired.status_code == 200, retired.text
    gone = retired.json()
    assert (gone["status"], gone["standing_version"]) == ("retired", None)
    assert gone["retirement"]["ended_on"] == day(60)
    assert gone["retirement"]["retired_by"] == "dr-lee"
    assert [(v["status"], v["ended_on"]) for v in gone["versions"]] == [
        ("superseded", day(30)),
        ("retired", day(60)),
    ]
    for reader in ("physician", "app", "pc_quality", "auditor"):
        got = pair.pc.get(f"/visit-templates/{tid}", headers=auth(reader))
        assert got.status_code == 200, (reader, got.text)
        assert got.headers["etag"] == f'"{got.json()["version"]}"' == '"6"'


def test_the_feed_carries_each_approval_and_the_retirement(pair: Pair) -> None:
    tid = create(pair)
    first = approve(pair, tid, 1, 3)["versions"][0]
    pair.pc.post(
        f"/visit-templates/{tid}/versions",
        json=terms(name="Sports clearance, all sites", site_ids=None, clinician_roles=["pa"]),
        headers=DIRECTOR,
    )
    second = approve(pair, tid, 2, 9)["versions"][1]
    retirement = retire(pair, tid, 40).json()["retirement"]
    messages = feed(pair)
    assert [(m["type"], m["payload"]["version"]) for m in messages] == [
        ("visit-template.approved", 1),
        ("visit-template.approved", 2),
        ("visit-template.retired", 2),
    ]
    assert messages[0]["payload"] == {
        "template_id": tid,
        "version": 1,
        "name": "Sports clearance, campus",
        "service_line": "sports_clearance",
        "site_ids": [SITE_A],
        "clinician_roles": ["physician", "np"],
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 3,
        "max_clinician_hours_per_day": 8,
        "effective_from": day(3),
        "decision_id": first["decision_id"],
        "basis": MD_ACT,
        "approved_at": messages[0]["payload"]["approved_at"],
    }
    assert messages[0]["actor"]["id"] == "dr-lee"
    assert (messages[1]["payload"]["site_ids"], messages[1]["payload"]["clinician_roles"]) == (
        None,
        ["pa"],
    )
    assert messages[1]["payload"]["decision_id"] == second["decision_id"]
    ended = messages[2]["payload"]
    assert (ended["reason"], ended["ended_on"], ended["decision_id"]) == (
        "summer closure",
        day(40),
        retirement["decision_id"],
    )
    assert ended["name"] == "Sports clearance, all sites"
    pair.sync()
    status = pair.mso.get("/readyz").json()
    assert (status["follower_lag"], status["follower_error"]) == (0, None)


def test_a_meeting_basis_must_be_a_carried_motion(pair: Pair) -> None:
    tid = create(pair)
    _, decision_id = held_meeting(pair.pc, "2026-11", subject=about("visit_template", tid))
    before = head(pair)
    url = f"/visit-templates/{tid}/versions/1/approve"
    for reference in ("GM-2026-11 item 3", str(uuid.uuid4())):
        refused = pair.pc.post(
            url,
            json={
                "effective_from": day(1),
                "basis": {"kind": "meeting_decision", "reference": reference},
            },
            headers=DIRECTOR,
        )
        assert problem(refused, 422, "meeting-decision-not-found")["field"] == "basis.reference"
    assert head(pair) == before
    approve(pair, tid, 1, 1, {"kind": "meeting_decision", "reference": decision_id})
    assert feed(pair)[0]["payload"]["basis"]["reference"] == decision_id


BAD = [
    ("unknown service line", terms(service_line="dentistry"), "body.service_line"),
    ("unknown role", terms(clinician_roles=["mso_admin"]), "body.clinician_roles.0"),
    ("no role", terms(clinician_roles=[]), "body.clinician_roles"),
    ("short visit", terms(visit_minutes=4), "body.visit_minutes"),
    ("long visit", terms(visit_minutes=481), "body.visit_minutes"),
    (
        "no patients",
        terms(max_patients_per_clinician_hour=0),
        "body.max_patients_per_clinician_hour",
    ),
    ("a day too long", terms(max_clinician_hours_per_day=25), "body.max_clinician_hours_per_day"),
    ("blank name", terms(name="  "), "body.name"),
    ("empty site list", terms(site_ids=[]), "body.site_ids"),
    ("unknown field", {**terms(), "owner": "x"}, "body.owner"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD, ids=[c[0] for c in BAD])
def test_bad_input_names_the_field_and_writes_nothing(
    pair: Pair, case: str, body: dict[str, Any], field: str
) -> None:
    before = head(pair)
    response = pair.pc.post("/visit-templates", json=body, headers=DIRECTOR)
    assert any(e["field"] == field for e in problem(response, 422, "invalid-request")["errors"])
    assert head(pair) == before


def test_more_patients_than_fit_in_an_hour_is_refused(pair: Pair) -> None:
    before = head(pair)
    over = terms(visit_minutes=20, max_patients_per_clinician_hour=4)
    body = problem(
        pair.pc.post("/visit-templates", json=over, headers=DIRECTOR), 422, "invalid-visit-terms"
    )
    assert body["field"] == "max_patients_per_clinician_hour"
    assert head(pair) == before
    create(pair, visit_minutes=90, max_patients_per_clinician_hour=1)  # long visits are fine


def test_unworkable_dates_and_missing_basis_are_refused(pair: Pair) -> None:
    tid = create(pair)
    before = head(pair)
    url = f"/visit-templates/{tid}/versions/1/approve"
    past = pair.pc.post(url, json={"effective_from": day(-1), "basis": MD_ACT}, headers=DIRECTOR)
    assert problem(past, 422, "unworkable-visit-template-date")["field"] == "effective_from"
    no_basis = pair.pc.post(url, json={"effective_from": day(1)}, headers=DIRECTOR)
    assert problem(no_basis, 422, "invalid-request")["errors"][0]["field"] == "body.basis"
    assert head(pair) == before
    approve(pair, tid, 1, 10)
    pair.pc.post(f"/visit-templates/{tid}/versions", json=terms(), headers=DIRECTOR)
    before = head(pair)
    overlapping = pair.pc.post(
        f"/visit-templates/{tid}/versions/2/approve",
        json={"effective_from": day(10), "basis": MD_ACT},
        headers=DIRECTOR,
    )
    problem(overlapping, 422, "unworkable-visit-template-date")
    problem(retire(pair, tid, -1), 422, "unworkable-visit-template-date")
    assert head(pair) == before


def test_illegal_transitions_are_conflicts_and_unknown_ids_404(pair: Pair) -> None:
    tid = create(pair)
    before = head(pair)
    again = pair.pc.post(f"/visit-templates/{tid}/versions", json=terms(), headers=DIRECTOR)
    assert problem(again, 409, "invalid-visit-template-transition")["current_status"] == "draft"
    problem(retire(pair, tid, 1), 409, "invalid-visit-template-transition")
    assert head(pair) == before
    approve(pair, tid, 1, 0)
    before = head(pair)
    twice = pair.pc.post(
        f"/visit-templates/{tid}/versions/1/approve",
        json={"effective_from": day(1), "basis": MD_ACT},
        headers=DIRECTOR,
    )
    assert problem(twice, 409, "invalid-visit-template-transition")["current_status"] == "approved"
    edit = pair.pc.post(f"/visit-templates/{tid}/versions/1/draft", json=terms(), headers=DIRECTOR)
    problem(edit, 409, "invalid-visit-template-transition")
    missing = pair.pc.post(
        f"/visit-templates/{tid}/versions/2/draft", json=terms(), headers=DIRECTOR
    )
    problem(missing, 404, "visit-template-version-not-found")
    assert retire(pair, tid, 0).status_code == 200
    before = head(pair)
    problem(retire(pair, tid, 1), 409, "invalid-visit-template-transition")
    late = pair.pc.post(f"/visit-templates/{tid}/versions", json=terms(), headers=DIRECTOR)
    assert problem(late, 409, "invalid-visit-template-transition")["current_status"] == "retired"
    for path in (f"/visit-templates/{uuid.uuid4()}", f"/visit-templates/{uuid.uuid4()}/history"):
        problem(pair.pc.get(path, headers=DIRECTOR), 404, "visit-template-not-found")
    problem(retire(pair, str(uuid.uuid4()), 1), 404, "visit-template-not-found")
    assert head(pair) == before


def test_if_match_guards_every_change(pair: Pair) -> None:
    tid = create(pair)
    before = head(pair)
    for path, body in (
        ("/versions/1/draft", terms()),
        ("/versions/1/approve", {"effective_from": day(0), "basis": MD_ACT}),
        ("/retire", {"reason": "x", "ended_on": day(0), "basis": MD_ACT}),
    ):
        stale = pair.pc.post(
            f"/visit-templates/{tid}{path}", json=body, headers={**DIRECTOR, "If-Match": '"7"'}
        )
        assert problem(stale, 412, "stale-version")["current_version"] == 1
    assert head(pair) == before
    fresh = pair.pc.post(
        f"/visit-templates/{tid}/versions/1/approve",
        json={"effective_from": day(0), "basis": MD_ACT},
        headers={**DIRECTOR, "If-Match": '"1"'},
    )
    assert (fresh.status_code, fresh.headers["etag"]) == (200, '"2"')


@pytest.mark.parametrize(
    ("role", "path", "body"),
    [
        ("physician", "/versions/1/approve", {"effective_from": "2030-01-01", "basis": MD_ACT}),
        ("physician", "/retire", {"reason": "x", "ended_on": "2030-01-01", "basis": MD_ACT}),
        ("app", "/versions/1/draft", terms()),
        ("pc_quality", "/versions/1/draft", terms()),
        ("mso_admin", "/versions/1/approve", {"effective_from": "2030-01-01", "basis": MD_ACT}),
        ("mso_scheduler", "/versions/1/draft", terms()),
        ("auditor", "/retire", {"reason": "x", "ended_on": "2030-01-01", "basis": MD_ACT}),
    ],
)
def test_pc_physicians_draft_and_only_the_medical_director_decides(
    pair: Pair, role: str, path: str, body: dict[str, Any]
) -> None:
    tid = create(pair)
    before = head(pair)
    response = pair.pc.post(f"/visit-templates/{tid}{path}", json=body, headers=auth(role))
    problem(response, 403, "forbidden")
    assert head(pair) == before


def test_the_mso_cannot_read_or_draft_templates(pair: Pair) -> None:
    tid = create(pair)
    for path in (f"/visit-templates/{tid}", "/visit-templates", f"/visit-templates/{tid}/history"):
        problem(pair.pc.get(path, headers=auth("mso_admin")), 403, "forbidden")
    problem(
        pair.pc.post("/visit-templates", json=terms(), headers=auth("mso_admin")), 403, "forbidden"
    )


def test_an_idempotency_key_creates_one_template(pair: Pair) -> None:
    headers = {**DIRECTOR, "Idempotency-Key": "template-42"}
    first = pair.pc.post("/visit-templates", json=terms(), headers=headers)
    again = pair.pc.post("/visit-templates", json=terms(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    other = pair.pc.post("/visit-templates", json=terms(name="Other"), headers=headers)
    problem(other, 422, "idempotency-key-reused")


def test_the_history_lists_each_act_with_its_actor(pair: Pair) -> None:
    tid = create(pair, headers=PHYSICIAN)
    approve(pair, tid, 1, 0)
    retire(pair, tid, 3)
    page = pair.pc.get(f"/visit-templates/{tid}/history", headers=auth("auditor")).json()
    assert [(i["type"], i["actor_id"]) for i in page["items"]] == [
        ("Created", "dr-roe"),
        ("Approved", "dr-lee"),
        ("Retired", "dr-lee"),
    ]


def test_the_list_paginates_and_filters(pair: Pair) -> None:
    ids = [
        create(
            pair,
            name=f"T{n}",
            service_line="school_physical" if n % 2 else "sports_clearance",
            site_ids=None if n % 3 == 0 else [SITE_B if n % 3 == 1 else SITE_A],
        )
        for n in range(7)
    ]
    approve(pair, ids[1], 1, 0)
    approve(pair, ids[2], 1, 0)
    assert retire(pair, ids[2], 0).status_code == 200
    pair.sync()
    seen = every_page(pair.pc, "/visit-templates", PHYSICIAN, limit=3)
    assert [item["id"] for item in seen] == ids

    def listed(**params: Any) -> list[str]:
        items = pair.pc.get("/visit-templates", params=params, headers=DIRECTOR).json()["items"]
        return [item["id"] for item in items]

    assert listed(service_line="school_physical") == [ids[1], ids[3], ids[5]]
    assert listed(status="approved") == [ids[1]]
    assert listed(status="retired") == [ids[2]]
    assert listed(status="draft", service_line="sports_clearance") == [ids[0], ids[4], ids[6]]
    assert listed(site_id=SITE_B) == [ids[0], ids[1], ids[3], ids[4], ids[6]]
    assert listed(site_id=SITE_A) == [ids[0], ids[2], ids[3], ids[5], ids[6]]
    problem(
        pair.pc.get("/visit-templates", params={"status": "lost"}, headers=DIRECTOR),
        422,
        "invalid-request",
    )
    problem(
        pair.pc.get("/visit-templates", params={"cursor": "garbage"}, headers=DIRECTOR),
        422,
        "invalid-cursor",
    )


def test_the_read_model_shows_standing_terms_and_rebuilds_to_the_live_one(pair: Pair) -> None:
    a = create(pair)
    b = create(pair, site_ids=[SITE_A, SITE_B])
    pair.pc.post(
        f"/visit-templates/{b}/versions/1/draft", json=terms(site_ids=None), headers=DIRECTOR
    )
    approve(pair, a, 1, 0)
    pair.pc.post(
        f"/visit-templates/{a}/versions",
        json=terms(visit_minutes=30, max_patients_per_clinician_hour=2),
        headers=DIRECTOR,
    )
    pair.sync()
    row = pair.pc.get("/visit-templates", params={"limit": 1}, headers=DIRECTOR).json()["items"][0]
    assert (row["latest_version"], row["latest_status"], row["standing_version"]) == (2, "draft", 1)
    assert row["visit_minutes"] == 20  # the standing version's, not the pending draft's
    approve(pair, a, 2, 5)
    retire(pair, a, 9)
    approve(pair, b, 1, 2)
    pair.sync()
    live = rows(pair, TABLES)
    assert len(live["pc_visit_template_sites"]) == 2
    assert {r["visit_minutes"] for r in live["pc_visit_templates"]} == {30, 20}
    pair.pc_runtime.projections.rebuild()
    assert rows(pair, TABLES) == live
