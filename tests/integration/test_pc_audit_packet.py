"""The audit packet of a period, rebuilt from the event log as it stood, on each backend.

A clock moves the recording time back into October 2026 while the period's records are
made; later changes are made "now". The October packet must not move.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import eventsourcing.domain
import pytest

from mhg.audit.heads import check_signature, new_signing_key
from mhg.audit.sealing import seal_pending
from mhg_cli.main import main as mhg
from services.pc_governance.application import clock as pc_clock
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import cited, recorded, seat_members
from tests.integration.pc_open_items import (
    AUDITOR,
    PHYSICIAN,
    QUALITY,
    clinician,
    ok,
    open_action,
    progress,
)
from tests.integration.services import (
    Pair,
    service_pair,
)
from tests.integration.test_governed_flow import (
    propose_line,
    request_authorization,
)

pytestmark = pytest.mark.storage

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-2026-010"}
MARKUP = '<script>alert("x")</script> & <b>bold</b>'


class Clock:
    """When events are recorded (and what the application takes as today)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.started = datetime.now(UTC)

    def at(self, moment: datetime) -> None:
        shift = moment - self.started
        self.monkeypatch.setattr(
            eventsourcing.domain, "datetime_now_with_tzinfo", lambda: datetime.now(UTC) + shift
        )
        self.monkeypatch.setattr(pc_clock, "today", moment.date)

    def real(self) -> None:
        self.monkeypatch.setattr(
            eventsourcing.domain, "datetime_now_with_tzinfo", lambda: datetime.now(UTC)
        )
        self.monkeypatch.setattr(pc_clock, "today", lambda: datetime.now(UTC).date())


@pytest.fixture
def pair(store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        services.pc_runtime.settings.audit_signing_key = new_signing_key()
        yield services


def post(pair: Pair, path: str, body: dict[str, Any], who: dict[str, str] = DIRECTOR) -> Any:
    return ok(pair.pc.post(path, json=body, headers=who))


def carry(pair: Pair, meeting_id: str, item_id: str, at: str) -> str:
    base = f"/meetings/{meeting_id}/motions"
    motion = post(
        pair,
        base,
        {"agenda_item_id": item_id, "text": "Approve it", "moved_by": "dr-kim"},
        PHYSICIAN,
    )
    motion_id = motion["motions"][-1]["motion_id"]
    for person in ("dr-lee", "dr-kim", "np-ray"):
        post(pair, f"{base}/{motion_id}/votes", {"voter": person, "choice": "for"}, PHYSICIAN)
    return str(post(pair, f"{base}/{motion_id}/close", {"at": at})["motions"][-1]["decision_id"])


def october_records(pair: Pair, clock: Clock) -> dict[str, str]:
    clock.at(datetime(2026, 10, 6, 9, 0, tzinfo=UTC))
    authorization_id = request_authorization(pair, propose_line(pair))
    meeting_id = ok(
        pair.pc.post(
            "/meetings",
            json={"period": "2026-10", "scheduled_for": "2026-10-08T18:00:00Z"},
            headers=DIRECTOR,
        ),
        201,
    )["id"]
    [item] = post(
        pair,
        f"/meetings/{meeting_id}/agenda/assemble",
        {"sources": ["authorization_request"]},
        PHYSICIAN,
    )["agenda"]
    seat_members(pair.pc, meeting_id)
    post(pair, f"/meetings/{meeting_id}/open", {"at": "2026-10-08T18:05:00Z"})
    decision_id = carry(pair, meeting_id, item["item_id"], "2026-10-08T18:30:00Z")
    pair.sync()  # the decision log's read model holds the carried motion
    approval = {
        "effective_date": "2026-10-15",
        "conditions": ["physician on call"],
        "basis": cited(decision_id),
    }
    post(pair, f"/authorizations/{authorization_id}/approve", approval)
    post(
        pair,
        f"/meetings/{meeting_id}/agenda/{item['item_id']}/disposition",
        {"disposition": "decided", "decision_id": decision_id},
    )
    post(pair, f"/meetings/{meeting_id}/adjourn", {"at": "2026-10-08T19:00:00Z"})
    ok(
        pair.pc.put(
            f"/meetings/{meeting_id}/minutes", json={"text": f"Minutes {MARKUP}"}, headers=PHYSICIAN
        )
    )
    post(pair, f"/meetings/{meeting_id}/minutes/approve", {"revision": 1})
    post(
        pair,
        f"/meetings/{meeting_id}/minutes/amendments",
        {"text": "Typo fixed", "reason": "spelling"},
    )
    action_id = open_action(pair, 0, f"Fix forms {MARKUP}", due_on="2026-10-25")
    progress(pair, action_id, "in_progress")
    protocol_id = ok(
        pair.pc.post(
            "/protocols",
            json={
                "title": "Sports clearance",
                "type": "protocol",
                "service_lines": ["sports_clearance"],
                "body": "v1 text",
            },
            headers=DIRECTOR,
        ),
        201,
    )["id"]
    post(pair, f"/protocols/{protocol_id}/versions/1/approve", {"effective_from": "2026-10-10"})
    lapsing = (date(2026, 10, 20) - datetime.now(UTC).date()).days  # on file, never verified
    doctor, credentials = clinician(
        pair,
        "1000000009",
        "Dr. Ada Ng",
        {"license": 400, "board_certification": 900, "dea": lapsing},
    )
    return {
        "authorization": authorization_id,
        "meeting": meeting_id,
        "decision": decision_id,
        "action": action_id,
        "protocol": protocol_id,
        "clinician": doctor,
        "license": credentials["license"],
        "dea": credentials["dea"],
    }


def later_changes(pair: Pair, clock: Clock, ids: dict[str, str]) -> None:
    clock.real()
    post(
        pair,
        f"/meetings/{ids['meeting']}/minutes/amendments",
        {"text": "Second fix", "reason": "late"},
    )
    post(
        pair,
        f"/authorizations/{ids['authorization']}/suspend",
        {"reason": "chart review", "basis": BASIS},
    )
    progress(pair, ids["action"], "completed")
    post(pair, f"/corrective-actions/{ids['action']}/verify", {"note": "effective"})
    ok(
        pair.pc.post(
            f"/protocols/{ids['protocol']}/versions", json={"body": "v2 text"}, headers=DIRECTOR
        ),
        201,
    )
    today = datetime.now(UTC).date().isoformat()
    post(pair, f"/protocols/{ids['protocol']}/versions/2/approve", {"effective_from": today})


def packet(
    pair: Pair, params: dict[str, str], who: dict[str, str] = AUDITOR, accept: str | None = None
) -> Any:
    seal_pending(pair.pc_runtime.ledger)
    headers = who | ({"Accept": accept} if accept else {})
    response = pair.pc.get("/audit-packets", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


def without_generated_at(content: bytes) -> bytes:
    """The packet with its generation time cut out (JSON member or HTML field)."""
    return re.sub(rb'"generated_at":"[^"]*"|Generated at</dt><dd>[^<]*', b"", content)


def test_a_past_period_packet_never_changes(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clock = Clock(monkeypatch)
    ids = october_records(pair, clock)
    first = packet(pair, OCTOBER)
    body = first.json()
    assert body["period"] == OCTOBER
    assert body["period_closed"] is True

    [meeting] = body["meetings"]
    assert (meeting["id"], meeting["status"]) == (ids["meeting"], "adjourned")
    assert meeting["minutes"]["text"] == f"Minutes {MARKUP}"
    assert meeting["minutes"]["status"] == "approved"
    assert [a["text"] for a in meeting["minutes"]["amendments"]] == ["Typo fixed"]
    assert meeting["agenda"][0]["disposition"] == "decided"
    [decision] = body["decision_log"]
    assert decision["decision_id"] == ids["decision"]
    assert (decision["agenda_item_kind"], decision["agenda_item_reference"]) == (
        "authorization_request",
        ids["authorization"],
    )
    assert decision["recorded_by"] == {"id": "dr-lee", "role": "medical_director", "org": "pc"}
    [action] = body["corrective_actions"]
    assert (action["id"], action["status"], action["verifications"]) == (
        ids["action"],
        "in_progress",
        [],
    )
    assert action["overdue_at_period_end"] is True
    [authorization] = body["authorizations"]
    assert authorization["status"] == "approved"
    assert [h["event"] for h in authorization["history"]] == ["requested", "approved"]
    approved = authorization["history"][1]
    assert approved["actor"] == {"id": "dr-lee", "role": "medical_director", "org": "pc"}
    assert (approved["basis"], approved["conditions"]) == (
        recorded(cited(ids["decision"]), "authorization", ids["authorization"]),
        ["physician on call"],
    )
    assert approved["recorded_at"].startswith("2026-10-06")
    [version] = body["protocol_versions"]
    assert (version["protocol_id"], version["version"], version["status"]) == (
        ids["protocol"],
        1,
        "approved",
    )
    assert (version["effective_from"], version["ended_on"]) == ("2026-10-10", None)
    [doctor] = body["clinicians"]
    assert doctor["status"] == "eligible"
    assert {c["kind"]: (c["status"], c["lapsed_by_period_end"]) for c in doctor["credentials"]} == {
        "license": ("verified", False),
        "board_certification": ("verified", False),
        "dea": ("unverified", True),
    }
    # audit readiness on 31 October: the action is overdue and the DEA registration lapsed
    readiness = body["audit_readiness"]
    assert readiness["as_of"] == "2026-10-31"
    assert {c["category"]: (c["required"], c["current"]) for c in readiness["categories"]} == {
        "protocols": (1, 1),
        "minutes": (1, 1),  # approved after the period, but not due until 7 November
        "credentials": (3, 2),
        "corrective_actions": (1, 0),
        "audit_chain": (1, 1),
        "meetings": (1, 1),  # October, the calendar's first month, counts on its last day
    }
    assert (readiness["required"], readiness["current"]) == (8, 6)
    assert {i["id"]: i["reason"] for i in readiness["not_current"]} == {
        ids["action"]: "action_overdue",
        ids["dea"]: "credential_expired",
    }

    # the seal is the chain at the last position the packet covers, signed, and verifiable
    seal = body["seal"]
    assert body["seal_note"] is None
    assert seal["position"] == body["covers"]["through_position"] > 0
    assert seal["link"] == pair.pc_runtime.ledger.seal_at(seal["position"]).link.hex()
    assert check_signature(seal)
    saved = tmp_path / "seal.json"
    saved.write_text(json.dumps(seal))
    url = pair.pc_runtime.settings.database_url
    assert (
        mhg(
            [
                "audit",
                "verify",
                "--service",
                "pc-governance",
                "--database-url",
                url,
                "--against",
                str(saved),
                "--json",
            ]
        )
        == 0
    )

    html_before = packet(pair, OCTOBER | {"format": "html"})
    later_changes(pair, clock, ids)
    again = packet(pair, OCTOBER)
    assert without_generated_at(again.content) == without_generated_at(first.content)
    assert len(without_generated_at(first.content)) == len(first.content) - len(
        f'"generated_at":"{body["generated_at"]}"'
    )
    assert without_generated_at(
        packet(pair, OCTOBER | {"format": "html"}).content
    ) == without_generated_at(html_before.content)

    # the later changes are real: they are in the packet of the month they were made in
    today = datetime.now(UTC).date()
    november = packet(pair, {"from": f"{today:%Y-%m}-01", "to": today.isoformat()}).json()
    assert november["period_closed"] is False
    assert november["covers"]["through_position"] > body["covers"]["through_position"]
    [authorization] = november["authorizations"]
    assert authorization["status"] == "suspended"
    assert [h["event"] for h in authorization["history"]] == ["requested", "approved", "suspended"]
    [action] = november["corrective_actions"]
    assert action["status"] == "verified"
    assert [v["effective"] for v in action["verifications"]] == [True]
    assert [(v["version"], v["status"]) for v in november["protocol_versions"]] == [
        (1, "superseded"),
        (2, "approved"),
    ]
    assert november["meetings"] == []  # the October meeting was not held in November
    assert november["decision_log"] == []


class WellFormed(HTMLParser):
    """Checks that every element opened is closed, in order; collects the text."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag, f"</{tag}> closes another element"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_packet_prints_as_escaped_well_formed_html(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = october_records(pair, Clock(monkeypatch))
    by_accept = packet(pair, OCTOBER, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    by_format = packet(pair, OCTOBER | {"format": "html"})
    for response in (by_accept, by_format):
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["vary"] == "Accept"
    page = by_format.text
    parser = WellFormed()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert parser.tags[0] == "html"
    assert "script" not in parser.tags
    assert "b" not in parser.tags  # the markup in the minutes and the action's title is text
    assert not any(
        value and ("http:" in value or "https:" in value) for _, value in parser.attributes
    )
    # the minutes, the action, and the action again as not current in audit readiness
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 3
    words = "".join(parser.text)
    assert f"Minutes {MARKUP}" in words
    for expected in (
        "Governance meeting 2026-10",
        ids["decision"],
        ids["authorization"],
        "Eastside HS",
        "physician on call",
        "Sports clearance",
        "Dr. Ada Ng",
        "Typo fixed",
        "6 of 8 required items current",
        by_format_json(pair)["seal"]["link"],
        "@media print",
    ):
        assert expected in words, expected
    # JSON stays the default, and wins when it is preferred
    assert packet(pair, OCTOBER).headers["content-type"].startswith("application/json")
    preferred = packet(pair, OCTOBER, accept="application/json, text/html;q=0.5")
    assert preferred.headers["content-type"].startswith("application/json")


def by_format_json(pair: Pair) -> dict[str, Any]:
    body: dict[str, Any] = packet(pair, OCTOBER | {"format": "json"}).json()
    return body


def test_a_period_without_records_has_no_seal_and_says_why(pair: Pair) -> None:
    body = packet(pair, {"from": "2020-01-01", "to": "2020-01-31"}).json()
    assert body["seal"] is None
    assert "nothing to seal" in body["seal_note"]
    assert body["covers"]["through_position"] == 0
    assert all(body[k] == [] for k in ("meetings", "decision_log", "authorizations", "clinicians"))


def test_only_directors_quality_and_auditors_read_packets_and_bad_periods_are_refused(
    pair: Pair,
) -> None:
    mso_auditor = auth("auditor", "aud-m", org="mso")
    for who in (DIRECTOR, QUALITY, AUDITOR, mso_auditor):
        assert pair.pc.get("/audit-packets", params=OCTOBER, headers=who).status_code == 200
    for who in (PHYSICIAN, ADMIN, auth("app", "np-ray"), auth("service", "mso-ops")):
        response = pair.pc.get("/audit-packets", params=OCTOBER, headers=who)
        assert response.status_code == 403
        assert response.json()["type"] == "/problems/forbidden"
    assert pair.pc.get("/audit-packets", params=OCTOBER).status_code == 401
    for params, field in (
        ({"from": "2026-10-31", "to": "2026-10-01"}, "from"),
        ({"from": "2020-01-01", "to": "2026-10-01"}, "to"),
        ({"from": "2026-10-01"}, "to"),
        ({"from": "October", "to": "2026-10-31"}, "from"),
        ({**OCTOBER, "format": "pdf"}, "format"),
    ):
        response = pair.pc.get("/audit-packets", params=params, headers=AUDITOR)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text, params
