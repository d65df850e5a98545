"""The audit packet's visit-template versions: those in force during the period, as they stood
at its end, on each backend. The clock sets both the recording time and the PC's today."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.integration.conftest import DIRECTOR
from tests.integration.meeting_helpers import recorded
from tests.integration.services import Pair
from tests.integration.test_pc_audit_packet import (
    OCTOBER,
    Clock,
    WellFormed,
    packet,
    pair,
    without_generated_at,
)
from tests.integration.test_pc_visit_templates import (
    MD_ACT,
    SITE_A,
    terms,
)

pytestmark = pytest.mark.storage

__all__ = ["pair"]  # the fixture, shared with the packet tests
RETIRING = {"kind": "medical_director_act", "reference": "MD-ACT-2026-033"}


def change(pair: Pair, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = pair.pc.post(path, json=body, headers=DIRECTOR)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def approve(pair: Pair, tid: str, number: int, effective_from: str) -> str:
    """Approve a version; its decision id."""
    body = {"effective_from": effective_from, "basis": MD_ACT}
    approved = change(pair, f"/visit-templates/{tid}/versions/{number}/approve", body)
    return str(approved["versions"][number - 1]["decision_id"])


def template(pair: Pair, name: str, **overrides: Any) -> str:
    return str(change(pair, "/visit-templates", terms(name=name, **overrides), 201)["id"])


def autumn_templates(pair: Pair, clock: Clock) -> dict[str, str]:
    """Campus: v1 from September, replaced by v2 on 20 October. Winter: approved in October
    from November. Fair: in force 10 to 25 October, then retired. Draft: never approved."""
    clock.at(datetime(2026, 9, 10, 9, 0, tzinfo=UTC))
    campus = template(pair, "Sports clearance, campus")
    ids = {"campus": campus, "campus_v1": approve(pair, campus, 1, "2026-09-15")}
    clock.at(datetime(2026, 10, 6, 9, 0, tzinfo=UTC))
    change(
        pair,
        f"/visit-templates/{campus}/versions",
        terms(name="Sports clearance, campus", max_patients_per_clinician_hour=2),
        201,
    )
    ids["campus_v2"] = approve(pair, campus, 2, "2026-10-20")
    ids["winter"] = template(pair, "Flu season", site_ids=None)
    approve(pair, ids["winter"], 1, "2026-11-05")
    ids["fair"] = fair = template(pair, "Health fair", clinician_roles=["np"])
    ids["fair_v1"] = approve(pair, fair, 1, "2026-10-10")
    clock.at(datetime(2026, 10, 12, 9, 0, tzinfo=UTC))
    retired = change(
        pair,
        f"/visit-templates/{fair}/retire",
        {"reason": "fair over", "ended_on": "2026-10-25", "basis": RETIRING},
    )
    ids["fair_retired"] = retired["retirement"]["decision_id"]
    ids["draft"] = template(pair, "Never approved")
    return ids


def test_the_versions_in_force_during_the_period_as_they_stood_at_its_end(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    ids = autumn_templates(pair, clock)
    first = packet(pair, OCTOBER)
    listed = first.json()["visit_template_versions"]
    assert [
        (v["template_id"], v["version"], v["status"], v["effective_from"], v["ended_on"])
        for v in listed
    ] == [
        (ids["campus"], 1, "superseded", "2026-09-15", "2026-10-20"),
        (ids["campus"], 2, "approved", "2026-10-20", None),
        (ids["fair"], 1, "retired", "2026-10-10", "2026-10-25"),
    ]  # not Flu season (from November), nor the draft
    campus_v1, campus_v2, fair = listed
    assert [v["decision_id"] for v in listed] == [
        ids["campus_v1"],
        ids["campus_v2"],
        ids["fair_v1"],
    ]
    assert {v["basis"]["reference"] for v in listed} == {MD_ACT["reference"]}
    assert campus_v1["approved_by"] == "dr-lee"
    assert campus_v1["terms"] == terms(name="Sports clearance, campus")
    assert campus_v2["terms"]["max_patients_per_clinician_hour"] == 2
    assert campus_v2["terms"]["site_ids"] == [SITE_A]
    assert campus_v1["retirement"] is None
    assert fair["retirement"] is not None
    assert fair["retirement"]["decision_id"] == ids["fair_retired"]
    assert (fair["retirement"]["ended_on"], fair["retirement"]["basis"]) == (
        "2026-10-25",
        recorded(RETIRING, "visit_template", ids["fair"]),
    )
    assert fair["terms"]["clinician_roles"] == ["np"]
    html_before = packet(pair, OCTOBER | {"format": "html"})

    # December: the campus gets a third version; October's packet does not move
    clock.real()
    today = datetime.now(UTC).date()
    change(pair, f"/visit-templates/{ids['campus']}/versions", terms(visit_minutes=15), 201)
    approve(pair, ids["campus"], 3, today.isoformat())
    again = packet(pair, OCTOBER)
    assert without_generated_at(again.content) == without_generated_at(first.content)
    html_again = packet(pair, OCTOBER | {"format": "html"})
    assert without_generated_at(html_again.content) == without_generated_at(html_before.content)

    now = packet(pair, {"from": f"{today:%Y-%m}-01", "to": today.isoformat()}).json()
    assert [
        (v["template_id"], v["version"], v["status"], v["ended_on"])
        for v in now["visit_template_versions"]
    ] == [
        (ids["campus"], 2, "superseded", today.isoformat()),
        (ids["campus"], 3, "approved", None),
        (ids["winter"], 1, "approved", None),
    ]


def test_the_page_shows_each_version_with_its_days_and_decision(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = autumn_templates(pair, Clock(monkeypatch))
    page = packet(pair, OCTOBER | {"format": "html"}).text
    parser = WellFormed()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert '<section id="visit-templates">' in page
    words = "".join(parser.text)
    for expected in (
        "Visit template versions in force",
        f"Sports clearance, campus (sports_clearance; sites: {SITE_A})",
        "Health fair",
        "2026-09-15 to 2026-10-20",
        "2026-10-20 to open",
        "20-minute visits, at most 2 patients per clinician-hour and 8 clinician hours a day",
        ids["campus_v1"],
        ids["campus_v2"],
        ids["fair_retired"],
        "fair over",
        MD_ACT["reference"],
    ):
        assert expected in words, expected
    assert "Flu season" not in words
    assert "Never approved" not in words
