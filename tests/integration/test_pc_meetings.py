"""The monthly governance meeting over HTTP, on each backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR
from tests.integration.meeting_helpers import (
    AT,
    PHYSICIAN,
    carry,
    held_meeting,
    post,
    problem,
    schedule,
    seat_members,
)
from tests.integration.services import (
    Pair,
    service_pair,
)
from tests.integration.test_governed_flow import (
    propose_line,
    request_authorization,
)


def test_a_meeting_from_agenda_to_locked_minutes(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        authorization_id = request_authorization(pair, propose_line(pair))
        meeting = schedule(pc, min_present=3, medical_director_required=True)
        mid = meeting["id"]
        assert (meeting["status"], meeting["chair"]) == ("scheduled", "dr-lee")

        assembled = post(
            pc,
            f"/meetings/{mid}/agenda/assemble",
            {"sources": ["authorization_request"]},
            PHYSICIAN,
        )
        [item] = assembled["agenda"]
        assert (item["kind"], item["reference"]) == ("authorization_request", authorization_id)
        assert item["source"] == "assembled"
        again = post(
            pc,
            f"/meetings/{mid}/agenda/assemble",
            {"sources": ["authorization_request"]},
            PHYSICIAN,
        )
        assert len(again["agenda"]) == 1
        assert again["version"] == assembled["version"]
        by_hand = {"kind": "performance_report", "reference": "mso-2026-10", "title": "October"}
        report = post(pc, f"/meetings/{mid}/agenda", by_hand, PHYSICIAN)["agenda"][1]
        problem(
            pc.post(f"/meetings/{mid}/agenda", json=by_hand, headers=PHYSICIAN),
            409,
            "duplicate-agenda-item",
        )

        seat_members(pc, mid)
        opened = post(pc, f"/meetings/{mid}/open", {"at": AT})
        assert opened["status"] == "in_session"
        assert opened["has_quorum"] is True
        decision_id = carry(pc, mid, item["item_id"], "Approve sports clearance at Eastside")
        post(pc, f"/meetings/{mid}/adjourn", {"at": "2026-11-05T19:30:00Z"})

        problem(
            pc.post(f"/meetings/{mid}/close", json={"at": AT}, headers=DIRECTOR),
            409,
            "minutes-not-approved",
        )
        pc.put(f"/meetings/{mid}/minutes", json={"text": "first draft"}, headers=PHYSICIAN)
        revised = pc.put(
            f"/meetings/{mid}/minutes", json={"text": "The PC met."}, headers=PHYSICIAN
        )
        assert revised.json()["minutes"]["revision"] == 2
        problem(
            pc.post(f"/meetings/{mid}/minutes/approve", json={"revision": 1}, headers=DIRECTOR),
            409,
            "stale-minutes-revision",
        )
        approved = post(pc, f"/meetings/{mid}/minutes/approve", {"revision": 2})["minutes"]
        assert (approved["status"], approved["approved_by"]) == ("approved", "dr-lee")
        problem(
            pc.put(f"/meetings/{mid}/minutes", json={"text": "edited"}, headers=PHYSICIAN),
            409,
            "minutes-locked",
        )
        not_ready = problem(
            pc.post(f"/meetings/{mid}/close", json={"at": AT}, headers=DIRECTOR),
            409,
            "agenda-not-dispositioned",
        )
        assert set(not_ready["items"]) == {item["item_id"], report["item_id"]}

        problem(
            pc.post(
                f"/meetings/{mid}/agenda/{report['item_id']}/disposition",
                json={"disposition": "decided", "decision_id": decision_id},
                headers=PHYSICIAN,
            ),
            422,
            "invalid-disposition",
        )
        post(
            pc,
            f"/meetings/{mid}/agenda/{item['item_id']}/disposition",
            {"disposition": "decided", "decision_id": decision_id},
            PHYSICIAN,
        )
        post(
            pc,
            f"/meetings/{mid}/agenda/{report['item_id']}/disposition",
            {"disposition": "deferred", "deferred_to": "2026-12", "note": "data late"},
            PHYSICIAN,
        )
        amended = post(
            pc,
            f"/meetings/{mid}/minutes/amendments",
            {"text": "Dr. Ray attended by phone.", "reason": "attendance detail"},
            PHYSICIAN,
        )["minutes"]
        [amendment] = amended["amendments"]
        assert amended["text"] == "The PC met."
        assert amendment["amends"] == amended["minutes_id"]
        closed = post(pc, f"/meetings/{mid}/close", {"at": "2026-11-06T09:00:00Z"})
        assert closed["status"] == "closed"
        problem(
            pc.post(
                f"/meetings/{mid}/minutes/amendments",
                json={"text": "x", "reason": "y"},
                headers=PHYSICIAN,
            ),
            409,
            "invalid-meeting-transition",
        )

        read = pc.get(f"/meetings/{mid}", headers=AUDITOR)
        assert read.status_code == 200
        assert read.headers["ETag"] == f'"{closed["version"]}"'
        assert read.json()["minutes"]["amendments"][0]["text"] == "Dr. Ray attended by phone."
        assert [i["disposition"] for i in read.json()["agenda"]] == ["decided", "deferred"]

        pair.sync()
        [logged] = pc.get("/decisions", headers=AUDITOR).json()["items"]
        assert logged["decision_id"] == decision_id
        assert (logged["meeting_id"], logged["period"]) == (mid, "2026-11")
        assert logged["text"] == "Approve sports clearance at Eastside"
        assert logged["agenda_item_reference"] == authorization_id
        assert logged["agenda_item_kind"] == "authorization_request"
        rows = pc.get("/meetings", params={"status": "closed"}, headers=AUDITOR).json()["items"]
        assert [r["id"] for r in rows] == [mid]


def test_motions_are_decided_only_in_session_and_with_quorum(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        mid = schedule(pc, min_present=2, medical_director_required=True)["id"]
        [item] = post(
            pc, f"/meetings/{mid}/agenda", {"kind": "other", "reference": "x", "title": "X"}
        )["agenda"]
        post(
            pc,
            f"/meetings/{mid}/attendance",
            {"person_id": "dr-kim", "name": "Kim", "role": "physician", "present": True},
        )
        problem(
            pc.post(
                f"/meetings/{mid}/motions",
                json={"agenda_item_id": item["item_id"], "text": "t", "moved_by": "dr-kim"},
                headers=PHYSICIAN,
            ),
            409,
            "invalid-meeting-transition",
        )
        post(pc, f"/meetings/{mid}/open", {"at": AT})
        for person, role in [("np-ray", "app"), ("ms-ops", "mso_representative")]:
            post(
                pc,
                f"/meetings/{mid}/attendance",
                {"person_id": person, "name": person, "role": role, "present": True},
            )
        motion = post(
            pc,
            f"/meetings/{mid}/motions",
            {"agenda_item_id": item["item_id"], "text": "t", "moved_by": "dr-kim"},
        )["motions"][0]
        votes = f"/meetings/{mid}/motions/{motion['motion_id']}/votes"
        problem(
            pc.post(votes, json={"voter": "ms-ops", "choice": "for"}, headers=PHYSICIAN),
            422,
            "not-a-present-member",
        )
        post(pc, votes, {"voter": "dr-kim", "choice": "for"})
        problem(
            pc.post(votes, json={"voter": "dr-kim", "choice": "against"}, headers=PHYSICIAN),
            409,
            "vote-already-cast",
        )
        head = pair.pc_runtime.application.head_position()
        close = f"/meetings/{mid}/motions/{motion['motion_id']}/close"
        for member in (PHYSICIAN, auth("app", "np-ray"), auth("pc_quality", "q")):
            problem(pc.post(close, json={"at": AT}, headers=member), 403, "forbidden")
        no_quorum = problem(
            pc.post(close, json={"at": AT}, headers=DIRECTOR), 409, "quorum-not-met"
        )
        assert "Medical Director" in no_quorum["detail"]
        assert pair.pc_runtime.application.head_position() == head
        problem(
            pc.post(f"/meetings/{mid}/adjourn", json={"at": AT}, headers=DIRECTOR),
            409,
            "motion-still-open",
        )
        post(
            pc,
            f"/meetings/{mid}/attendance",
            {"person_id": "dr-lee", "name": "Lee", "role": "medical_director", "present": True},
        )
        decided = post(pc, close, {"at": AT})
        assert decided["motions"][0]["outcome"] == "carried"
        problem(pc.post(close, json={"at": AT}, headers=DIRECTOR), 409, "motion-not-open")


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        mid = schedule(pc)["id"]
        head = pair.pc_runtime.application.head_position()
        cases: list[tuple[str, dict[str, Any], str]] = [
            ("/meetings", {"period": "2026-13", "scheduled_for": AT}, "period"),
            ("/meetings", {"period": "2026-11", "scheduled_for": "2026-11-05T18:00"}, "scheduled_for"),
            ("/meetings", {"period": "2026-11", "scheduled_for": AT, "quorum": {"min_present": 0}}, "min_present"),
            (f"/meetings/{mid}/attendance", {"person_id": "x", "name": "X", "role": "mso_admin", "present": True}, "role"),
            (f"/meetings/{mid}/agenda", {"kind": "gossip", "reference": "r", "title": "t"}, "kind"),
            (f"/meetings/{mid}/agenda", {"kind": "other", "reference": "r", "title": "t" * 501}, "title"),
            (f"/meetings/{mid}/agenda/assemble", {"sources": []}, "sources"),
            (f"/meetings/{mid}/open", {"at": "soon"}, "at"),
            (f"/meetings/{mid}/minutes/approve", {"revision": 0}, "revision"),
            (f"/meetings/{mid}/minutes/amendments", {"text": "t", "reason": ""}, "reason"),
        ]  # fmt: skip
        for path, body, field in cases:
            response = pc.post(path, json=body, headers=DIRECTOR)
            assert response.status_code == 422, (path, response.text)
            assert field in response.text, (path, field, response.text)
        assert (
            pc.put(f"/meetings/{mid}/minutes", json={"text": ""}, headers=DIRECTOR).status_code
            == 422
        )
        assert pair.pc_runtime.application.head_position() == head
        problem(pc.get(f"/meetings/{mid[:-4]}0000", headers=DIRECTOR), 404, "meeting-not-found")


def test_who_may_do_what(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        body = {"period": "2026-11", "scheduled_for": AT}
        problem(pc.post("/meetings", json=body, headers=PHYSICIAN), 403, "forbidden")
        problem(pc.post("/meetings", json=body, headers=ADMIN), 403, "forbidden")
        mid = schedule(pc)["id"]
        for step in ("open", "adjourn", "close"):
            problem(
                pc.post(f"/meetings/{mid}/{step}", json={"at": AT}, headers=PHYSICIAN),
                403,
                "forbidden",
            )
        problem(
            pc.post(f"/meetings/{mid}/minutes/approve", json={"revision": 1}, headers=PHYSICIAN),
            403,
            "forbidden",
        )
        attendee = {"person_id": "x", "name": "X", "role": "guest", "present": True}
        problem(
            pc.post(f"/meetings/{mid}/attendance", json=attendee, headers=AUDITOR), 403, "forbidden"
        )
        post(pc, f"/meetings/{mid}/attendance", attendee, auth("pc_quality", "qa"))
        post(pc, f"/meetings/{mid}/attendance", attendee, auth("app", "np"))
        assert pc.get(f"/meetings/{mid}", headers=AUDITOR).status_code == 200
        assert pc.get("/meetings", headers=ADMIN).status_code == 403
        assert pc.get("/decisions", headers=ADMIN).status_code == 403


def test_illegal_transitions_and_stale_versions(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        meeting = schedule(pc)
        mid = meeting["id"]
        for step in ("adjourn", "close"):
            refused = problem(
                pc.post(f"/meetings/{mid}/{step}", json={"at": AT}, headers=DIRECTOR),
                409,
                "invalid-meeting-transition",
            )
            assert refused["current_status"] == "scheduled"
        problem(
            pc.post(f"/meetings/{mid}/minutes/approve", json={"revision": 1}, headers=DIRECTOR),
            409,
            "invalid-meeting-transition",
        )
        stale = {**DIRECTOR, "If-Match": f'"{meeting["version"]}"'}
        post(pc, f"/meetings/{mid}/agenda", {"kind": "other", "reference": "a", "title": "A"})
        head = pair.pc_runtime.application.head_position()
        response = pc.post(f"/meetings/{mid}/open", json={"at": AT}, headers=stale)
        assert response.status_code == 412, response.text
        assert pair.pc_runtime.application.head_position() == head
        current = pc.get(f"/meetings/{mid}", headers=DIRECTOR).headers["ETag"]
        opened = pc.post(
            f"/meetings/{mid}/open", json={"at": AT}, headers={**DIRECTOR, "If-Match": current}
        )
        assert opened.status_code == 200
        assert opened.json()["status"] == "in_session"
        assert opened.headers["ETag"] == f'"{opened.json()["version"]}"'
        # the role is checked before the version, and the input before both
        foreign = {"If-Match": '"not-ours"'}
        assert (
            pc.post(
                f"/meetings/{mid}/adjourn", json={"at": AT}, headers={**PHYSICIAN, **foreign}
            ).status_code
            == 403
        )
        assert (
            pc.post(
                f"/meetings/{mid}/adjourn", json={}, headers={**DIRECTOR, **foreign}
            ).status_code
            == 422
        )
        assert (
            pc.post(
                "/meetings/no-uuid/adjourn", json={"at": AT}, headers={**DIRECTOR, **foreign}
            ).status_code
            == 422
        )
        assert (
            pc.post(
                f"/meetings/{mid}/adjourn", json={"at": AT}, headers={**DIRECTOR, **foreign}
            ).status_code
            == 412
        )
        problem(
            pc.post(f"/meetings/{mid}/open", json={"at": AT}, headers=DIRECTOR),
            409,
            "invalid-meeting-transition",
        )


def test_scheduling_is_idempotent_with_a_key(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        body = {"period": "2026-11", "scheduled_for": AT}
        headers = {**DIRECTOR, "Idempotency-Key": "nov-meeting"}
        first = pair.pc.post("/meetings", json=body, headers=headers)
        again = pair.pc.post("/meetings", json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.json()["id"] == again.json()["id"]


def test_lists_page_and_filter_and_rebuild_to_the_live_rows(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        pc = pair.pc
        held = [held_meeting(pc, period, kind) for period, kind in [
            ("2026-09", "other"), ("2026-10", "protocol_review"), ("2026-11", "other"),
        ]]  # fmt: skip
        pair.sync()
        first = pc.get("/meetings", params={"limit": 2}, headers=AUDITOR).json()
        assert len(first["items"]) == 2
        assert first["next_cursor"]
        rest = pc.get(
            "/meetings", params={"limit": 2, "cursor": first["next_cursor"]}, headers=AUDITOR
        ).json()
        assert [m["id"] for m in first["items"] + rest["items"]] == [m for m, _ in held]
        assert rest["next_cursor"] is None
        october = pc.get("/meetings", params={"period": "2026-10"}, headers=AUDITOR).json()
        assert [m["id"] for m in october["items"]] == [held[1][0]]
        in_session = pc.get("/meetings", params={"status": "in_session"}, headers=AUDITOR).json()
        assert len(in_session["items"]) == 3
        assert (
            pc.get("/meetings", params={"status": "closed"}, headers=AUDITOR).json()["items"] == []
        )
        assert pc.get("/meetings", params={"period": "2026-1"}, headers=AUDITOR).status_code == 422

        page = pc.get("/decisions", params={"limit": 2}, headers=AUDITOR).json()
        rest = pc.get("/decisions", params={"cursor": page["next_cursor"]}, headers=AUDITOR).json()
        assert [d["decision_id"] for d in page["items"] + rest["items"]] == [d for _, d in held]
        by_period = pc.get("/decisions", params={"period": "2026-11"}, headers=AUDITOR).json()
        assert [d["decision_id"] for d in by_period["items"]] == [held[2][1]]
        by_kind = pc.get(
            "/decisions", params={"agenda_item_kind": "protocol_review"}, headers=AUDITOR
        ).json()
        assert [d["decision_id"] for d in by_kind["items"]] == [held[1][1]]
        by_meeting = pc.get("/decisions", params={"meeting_id": held[0][0]}, headers=AUDITOR).json()
        assert [d["decision_id"] for d in by_meeting["items"]] == [held[0][1]]

        live = meeting_rows(pair)
        assert len(live["pc_meetings"]) == 3
        assert len(live["pc_meeting_decisions"]) == 3
        pair.pc_runtime.projections.rebuild()
        assert meeting_rows(pair) == live


def meeting_rows(pair: Pair) -> dict[str, list[dict[str, Any]]]:
    runtime = pair.pc_runtime
    out = {}
    for name in ("pc_meetings", "pc_meeting_decisions"):
        table = runtime.store.metadata.tables[name]
        with runtime.store.reader.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.position)).mappings().all()
        out[name] = [dict(r) for r in rows]
    return out
