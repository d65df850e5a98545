"""A site's approved operating term (days and hours, staffing model) holds its schedules and
staffing: outside it is 409 `operating-term-exceeded` with nothing written, until a
material change covering it is approved through the PC's feed (ADR 0026)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import StoreUrl
from tests.integration import clinician_helpers, scheduling_helpers
from tests.integration.clinician_helpers import credentialed
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR, SCHEDULER
from tests.integration.scheduling_helpers import (
    authorized_site,
    create_schedule,
    ok,
    problem,
    schedule_body,
)
from tests.integration.services import Pair, service_pair
from tests.integration.site_helpers import decide, live_site, request_change
from tests.integration.template_feed import approve_template
from tests.integration.test_mso_staffing import SHIFT_DAY, on_staff, schedule
from tests.integration.test_signed_messages import check

EXCEEDED = "operating-term-exceeded"
WEEKDAY_MORNINGS = [
    {"weekday": day, "opens": "08:00", "closes": "12:00"} for day in ("mon", "tue", "wed", "thu")
]


@pytest.fixture
def pair(store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    scheduling_helpers.Clock(monkeypatch)  # the MSO's today: Monday 4 January 2027
    clinician_helpers.Clock(monkeypatch)  # the PC's, the same day
    with service_pair(store_url) as the_pair:
        yield the_pair


def hours_change(openings: list[dict[str, str]], proposed: str = "Mornings") -> dict[str, Any]:
    return {
        "aspect": "hours",
        "proposed": proposed,
        "description": "Hours for the season",
        "operating_term": {"openings": openings},
    }


def approved(pair: Pair, site_id: str, body: dict[str, Any], effective: str = "2027-01-01") -> str:
    """A change requested, approved by the PC and delivered; its PC authorization."""
    _, authorization_id = request_change(pair, site_id, body)
    decide(pair, authorization_id, "approve", effective_date=effective)
    pair.sync()
    return authorization_id


def schedule_count(pair: Pair) -> int:
    return len(ok(pair.mso.get("/schedules", headers=AUDITOR))["items"])


def test_schedules_and_sessions_keep_to_the_approved_hours_until_a_change_covers_them(
    pair: Pair,
) -> None:
    site_id = authorized_site(pair)
    template_id = approve_template(pair)
    older = create_schedule(pair, site_id, template_id=template_id)  # no term yet: not judged
    approved(pair, site_id, hours_change(WEEKDAY_MORNINGS))

    term = ok(pair.mso.get(f"/sites/{site_id}/operating-term", headers=AUDITOR))
    [hours] = term["in_force"]
    assert (hours["aspect"], hours["effective_date"]) == ("hours", "2027-01-01")
    assert hours["text"].startswith("mon 08:00-12:00")

    before = schedule_count(pair)
    afternoon = schedule_body(site_id, template_id)  # thu 14:00-15:00 is outside
    refused = problem(pair.mso.post("/schedules", json=afternoon, headers=ADMIN), 409, EXCEEDED)
    assert "thu 14:00-15:00" in refused["detail"]
    assert "mon 08:00-12:00" in refused["detail"], "the detail names the term it exceeds"
    assert refused["aspect"] == "hours"
    assert refused["term"] == {"openings": WEEKDAY_MORNINGS}
    assert schedule_count(pair) == before, "nothing written"

    mornings = [{"weekday": "tue", "start": "09:00", "end": "10:00"}]
    made = create_schedule(pair, site_id, template_id=template_id, weekly=mornings)
    url = f"/schedules/{made['id']}"
    saturday = [*mornings, {"weekday": "sat", "start": "09:00", "end": "10:00"}]
    problem(
        pair.mso.put(f"{url}/weekly-rules", json={"weekly": saturday}, headers=ADMIN), 409, EXCEEDED
    )
    assert ok(pair.mso.get(url, headers=AUDITOR))["version"] == made["version"]
    friday = {"day": "2027-01-08", "start": "09:00", "end": "10:00", "reason": "Game day"}
    problem(pair.mso.post(f"{url}/extra-sessions", json=friday, headers=SCHEDULER), 409, EXCEEDED)
    wednesday = {**friday, "day": "2027-01-06"}
    ok(pair.mso.post(f"{url}/extra-sessions", json=wednesday, headers=SCHEDULER), 201)

    # the schedule made before any term: its afternoon slots are judged when published
    published = pair.mso.post(
        f"/schedules/{older['id']}/publications", json={"through": "2027-01-10"}, headers=SCHEDULER
    )
    assert "14:00" in problem(published, 409, EXCEEDED)["detail"]

    weekend = approved(
        pair,
        site_id,
        hours_change(
            [*WEEKDAY_MORNINGS, {"weekday": "sat", "opens": "08:00", "closes": "13:00"}],
            "Mornings and Saturday",
        ),
    )
    ok(pair.mso.put(f"{url}/weekly-rules", json={"weekly": saturday}, headers=ADMIN))
    ok(pair.mso.post(f"{url}/publications", json={"through": "2027-01-05"}, headers=SCHEDULER))

    decide(pair, weekend, "suspend")
    pair.sync()
    again = pair.mso.post(f"{url}/publications", json={"through": "2027-01-10"}, headers=SCHEDULER)
    assert "2027-01-09" in problem(again, 409, EXCEEDED)["detail"], "the earlier term returns"
    held = ok(pair.mso.get(f"/sites/{site_id}/operating-term", headers=AUDITOR))
    assert [t["in_force"] for t in held["approved"]] == [True, False]


def test_a_term_applies_from_its_effective_date_and_sites_without_one_are_not_judged(
    pair: Pair,
) -> None:
    site_id = authorized_site(pair)
    other = authorized_site(pair, name="Westside MS")
    template_id = approve_template(pair)
    approved(pair, site_id, hours_change(WEEKDAY_MORNINGS), effective="2027-02-01")
    # before 1 February no term is in force: an afternoon schedule from January is accepted
    create_schedule(pair, site_id, template_id=template_id)
    late = schedule_body(site_id, template_id, starts_on="2027-02-02")
    problem(pair.mso.post("/schedules", json=late, headers=ADMIN), 409, EXCEEDED)
    create_schedule(pair, other, template_id=template_id)
    nothing = ok(pair.mso.get(f"/sites/{other}/operating-term", headers=AUDITOR))
    assert (nothing["in_force"], nothing["approved"]) == ([], [])
    on = ok(pair.mso.get(f"/sites/{site_id}/operating-term?on=2027-02-01", headers=AUDITOR))
    assert [t["aspect"] for t in on["in_force"]] == ["hours"]


def test_the_staffing_model_holds_schedules_and_clinical_shifts(pair: Pair) -> None:
    site_id = authorized_site(pair)
    template_id = approve_template(pair)
    model = {
        "aspect": "staffing_model",
        "proposed": "One NP a session",
        "description": "APP-led clinics",
        "operating_term": {"max_clinicians_per_session": 1, "clinician_roles": ["np"]},
    }
    approved(pair, site_id, model)
    two = schedule_body(site_id, template_id, clinicians=2)
    refused = problem(pair.mso.post("/schedules", json=two, headers=ADMIN), 409, EXCEEDED)
    assert "at most 1 clinician a session (np)" in refused["detail"]
    create_schedule(pair, site_id, template_id=template_id, clinicians=1)

    physician, _ = credentialed(pair, "1000000901")
    nurse, _ = credentialed(pair, "1000000902", "np")
    second_nurse, _ = credentialed(pair, "1000000903", "np")
    pair.sync()
    shift = schedule(pair, site_id, SHIFT_DAY)
    url = f"/shifts/{shift['id']}/assignments"
    doctor = {"staff_id": on_staff(pair, physician)}
    refused = problem(pair.mso.post(url, json=doctor, headers=SCHEDULER), 409, EXCEEDED)
    assert "physician" in refused["detail"]
    ok(pair.mso.post(url, json={"staff_id": on_staff(pair, nurse)}, headers=SCHEDULER), 201)
    extra = {"staff_id": on_staff(pair, second_nurse)}
    problem(pair.mso.post(url, json=extra, headers=SCHEDULER), 409, EXCEEDED)
    assert len(ok(pair.mso.get(f"/shifts/{shift['id']}", headers=AUDITOR))["staff"]) == 1

    approved(
        pair,
        site_id,
        {
            **model,
            "proposed": "Two clinicians",
            "operating_term": {
                "max_clinicians_per_session": 2,
                "clinician_roles": ["np", "physician"],
            },
        },
    )
    ok(pair.mso.post(url, json=doctor, headers=SCHEDULER), 201)


BAD_TERMS: list[tuple[str, dict[str, Any]]] = [
    ("hours", {"openings": [{"weekday": "fri", "opens": "08:00", "closes": "24:00"}]}),
    ("hours", {"openings": [{"weekday": "fri", "opens": "12:00", "closes": "08:00"}]}),
    ("hours", {"openings": [{"weekday": "friday", "opens": "08:00", "closes": "12:00"}]}),
    ("hours", {"openings": [{"weekday": "fri", "opens": "8:00", "closes": "12:00"}]}),
    ("hours", {"openings": []}),
    ("hours", {"openings": [WEEKDAY_MORNINGS[0], {**WEEKDAY_MORNINGS[0], "opens": "11:00"}]}),
    ("hours", {"max_clinicians_per_session": 1, "clinician_roles": ["np"]}),
    ("staffing_model", {"openings": WEEKDAY_MORNINGS}),
    ("staffing_model", {"max_clinicians_per_session": 0, "clinician_roles": ["np"]}),
    ("staffing_model", {"max_clinicians_per_session": 1, "clinician_roles": ["ma"]}),
    ("staffing_model", {"max_clinicians_per_session": 1, "clinician_roles": ["np", "np"]}),
    ("staffing_model", {"max_clinicians_per_session": 1}),
    ("lab_vendor", {"openings": WEEKDAY_MORNINGS}),
    ("hours", {"openings": WEEKDAY_MORNINGS, "notes": "x"}),
]


def test_a_structured_term_is_bounded_at_the_api(pair: Pair) -> None:
    site_id = authorized_site(pair)
    for aspect, term in BAD_TERMS:
        body = {"aspect": aspect, "proposed": "x", "description": "y", "operating_term": term}
        response = pair.mso.post(f"/sites/{site_id}/changes", json=body, headers=ADMIN)
        assert response.status_code == 422, (aspect, term, response.text)
    listed = ok(pair.mso.get(f"/sites/{site_id}/changes", headers=AUDITOR))
    assert listed["items"] == [], "nothing written"
    plain = {"aspect": "hours", "proposed": "Mornings", "description": "As before"}
    ok(pair.mso.post(f"/sites/{site_id}/changes", json=plain, headers=ADMIN), 201)


def test_the_pc_sees_the_structured_term_it_approves(pair: Pair) -> None:
    site_id = authorized_site(pair)
    change_id, authorization_id = request_change(pair, site_id, hours_change(WEEKDAY_MORNINGS[:1]))
    received = ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))
    assert "Term: mon 08:00-12:00." in received["readiness"]["summary"]
    # as structure on the contract message, in what the Medical Director decides on
    assert received["change"]["operating_term"] == {
        "openings": [{"weekday": "mon", "opens": "08:00", "closes": "12:00"}],
        "max_clinicians_per_session": None,
        "clinician_roles": None,
    }
    asked = ok(pair.mso.get(f"/sites/{site_id}/changes/{change_id}", headers=AUDITOR))
    assert asked["operating_term"]["openings"] == WEEKDAY_MORNINGS[:1]


def test_a_staffing_term_and_a_text_only_change_show_as_they_were_asked(pair: Pair) -> None:
    site_id = authorized_site(pair)
    model = {"max_clinicians_per_session": 2, "clinician_roles": ["pa", "np"]}
    staffing = {
        "aspect": "staffing_model",
        "proposed": "Two APPs",
        "description": "Season staffing",
        "operating_term": model,
    }
    change_id, authorization_id = request_change(pair, site_id, staffing)
    received = ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))
    ordered = {"max_clinicians_per_session": 2, "clinician_roles": ["np", "pa"]}
    assert received["change"]["operating_term"] == {"openings": None, **ordered}
    asked = ok(pair.mso.get(f"/sites/{site_id}/changes/{change_id}", headers=AUDITOR))
    assert asked["operating_term"] == {"openings": None, **ordered}
    decide(pair, authorization_id, "deny")  # so the next one is the only pending request

    plain = {"aspect": "lab_vendor", "proposed": "Quest", "description": "New lab"}
    change_id, authorization_id = request_change(pair, site_id, plain)
    received = ok(pair.pc.get(f"/authorizations/{authorization_id}", headers=DIRECTOR))
    assert received["change"]["operating_term"] is None
    asked = ok(pair.mso.get(f"/sites/{site_id}/changes/{change_id}", headers=AUDITOR))
    assert asked["operating_term"] is None


@pytest.mark.storage
def test_the_term_arrives_through_the_feed_and_rests_on_the_pcs_signed_message(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        authorization_id = approved(pair, site_id, hours_change(WEEKDAY_MORNINGS))
        decide(pair, authorization_id, "revoke")
        pair.sync()
        held = ok(pair.mso.get(f"/sites/{site_id}/operating-term", headers=AUDITOR))
        assert ([t["in_force"] for t in held["approved"]], held["in_force"]) == ([False], [])
        verdict = check(pair)
        assert verdict.intact, verdict.findings
        topics = {r.topic.rsplit(":", 1)[1] for r in pair.mso_runtime.ledger.records()}
        assert {"SiteOperatingTerms.TermApproved", "SiteOperatingTerms.TermWithdrawn"} <= topics
