"""A site's time zone: its days are judged on its own wall clock; instants stay UTC.

A Los Angeles site at 18:00 on day D is at 02:00 UTC on D+1. A shift there that evening
is on D, so a visit template in force through D staffs it; a site without a zone keeps
the UTC day, as before zones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.mso_ops.application import clock as mso_clock
from tests.integration.clinician_helpers import clock, pair
from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.mso_billing_helpers import BILLING, claim_body, site_with_lines, submit
from tests.integration.services import Pair
from tests.integration.site_helpers import decide, ok, ready_site, request_go_live
from tests.integration.template_feed import approved, deliver, retired

__all__ = ["clock", "pair"]  # fixtures

LOS_ANGELES = "America/Los_Angeles"
D = date(2027, 1, 18)
EVENING = datetime(2027, 1, 19, 2, 0, tzinfo=UTC)  # 18:00 on D in Los Angeles (PST)


def propose(pair: Pair, **zone: str | None) -> dict[str, object]:
    body = {"name": "Eastside High", "kind": "campus", "address": "1 Main St", **zone}
    response = pair.mso.post("/sites", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return dict(response.json())


def evening_shift(pair: Pair, site_id: object, template_id: str) -> dict[str, object]:
    response = pair.mso.post(
        "/shifts",
        json={
            "site_id": site_id,
            "start": EVENING.isoformat(),
            "end": (EVENING + timedelta(hours=2)).isoformat(),
            "needs_clinical_coverage": True,
            "label": "Evening clearance clinic",
            "template_id": template_id,
        },
        headers=SCHEDULER,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def shortfalls(shift: dict[str, object]) -> set[str]:
    coverage = shift["coverage"]
    assert isinstance(coverage, dict)
    return {s["reason"] for s in coverage["shortfalls"]}


def test_a_los_angeles_evening_is_judged_on_its_own_day(pair: Pair) -> None:
    template = approved()
    deliver(pair, template)
    deliver(pair, retired(template, D + timedelta(days=1)))  # in force through D
    pacific = propose(pair, time_zone=LOS_ANGELES)
    assert pacific["time_zone"] == LOS_ANGELES
    utc = propose(pair)
    assert utc["time_zone"] is None

    there = evening_shift(pair, pacific["id"], str(template.template_id))
    assert there["day"] == str(D)
    assert there["start"] == "2027-01-19T02:00:00Z"  # the instant stays UTC
    assert "template_not_in_force" not in shortfalls(there)

    before = evening_shift(pair, utc["id"], str(template.template_id))  # as before zones
    assert before["day"] == str(D + timedelta(days=1))
    assert "template_not_in_force" in shortfalls(before)


def test_an_unknown_zone_is_refused_on_its_field_with_nothing_written(pair: Pair) -> None:
    for zone in ("Mars/Olympus_Mons", "../etc/passwd", "x" * 65, ""):
        response = pair.mso.post(
            "/sites",
            json={"name": "Nowhere", "kind": "clinic", "address": "1 Main St", "time_zone": zone},
            headers=ADMIN,
        )
        assert response.status_code == 422, response.text
        assert "time_zone" in response.text
    listed = pair.mso.get("/sites", headers=ADMIN)
    assert listed.json()["items"] == []

    site = propose(pair)
    path = f"/sites/{site['id']}/time-zone"
    refused = pair.mso.put(path, json={"time_zone": "Pacific/Atlantis"}, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "time_zone"
    assert refused.json()["type"].endswith("unknown-time-zone")
    unchanged = pair.mso.get(f"/sites/{site['id']}", headers=ADMIN).json()
    assert (unchanged["version"], unchanged["time_zone"]) == (site["version"], None)


def test_a_zone_is_set_and_changed_at_the_version_the_caller_holds(pair: Pair) -> None:
    site = propose(pair)
    path = f"/sites/{site['id']}/time-zone"
    stale = pair.mso.put(
        path, json={"time_zone": LOS_ANGELES}, headers={**ADMIN, "If-Match": '"99"'}
    )
    assert stale.status_code == 412, stale.text
    etag = pair.mso.get(f"/sites/{site['id']}", headers=ADMIN).headers["ETag"]
    set_ = pair.mso.put(path, json={"time_zone": LOS_ANGELES}, headers={**ADMIN, "If-Match": etag})
    assert set_.status_code == 200, set_.text
    assert set_.json()["time_zone"] == LOS_ANGELES
    back = pair.mso.put(path, json={"time_zone": None}, headers=ADMIN)
    assert back.status_code == 200, back.text
    assert back.json()["time_zone"] is None


def test_a_claim_is_not_dated_after_the_sites_own_today(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mso_clock, "now", lambda: EVENING)  # 18:00 on D in Los Angeles
    pacific = site_with_lines(pair, name="Pacific campus")
    zoned = pair.mso.put(
        f"/sites/{pacific}/time-zone", json={"time_zone": LOS_ANGELES}, headers=ADMIN
    )
    assert zoned.status_code == 200, zoned.text
    utc = site_with_lines(pair, name="UTC campus")
    tomorrow = str(D + timedelta(days=1))  # already today in UTC

    early = pair.mso.post(
        "/billing/claims",
        json=claim_body(pacific, "LA-1", service_date=tomorrow, submitted_on=tomorrow),
        headers=BILLING,
    )
    assert early.status_code == 422, early.text  # not yet that day in Los Angeles
    there = submit(pair, pacific, "LA-2", service_date=str(D), submitted_on=str(D))
    here = submit(pair, utc, "UTC-1", service_date=tomorrow, submitted_on=tomorrow)  # as before

    # the steps after submission are dated on the site's own day too
    paid = {"on": tomorrow, "amount": "200.00"}
    url = "/billing/claims/{}/payment"
    refused = pair.mso.post(url.format(there["id"]), json=paid, headers=BILLING)
    assert refused.status_code == 422, refused.text  # not yet that day in Los Angeles
    assert refused.json()["field"] == "on"
    ok(pair.mso.post(url.format(there["id"]), json={**paid, "on": str(D)}, headers=BILLING))
    ok(pair.mso.post(url.format(here["id"]), json=paid, headers=BILLING))  # as before


def test_a_site_opens_on_its_own_day_of_the_pcs_effective_date(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mso_clock, "now", lambda: EVENING)  # 18:00 on D in Los Angeles
    effective = str(D + timedelta(days=1))  # already that day in UTC
    opened = {}
    for name, zone in (("Pacific campus", LOS_ANGELES), ("UTC campus", None)):
        site_id = str(ready_site(pair.mso, name)["id"])
        ok(pair.mso.put(f"/sites/{site_id}/time-zone", json={"time_zone": zone}, headers=ADMIN))
        decide(pair, request_go_live(pair, site_id), "approve", effective_date=effective)
        pair.sync()
        opened[name] = pair.mso.post(f"/sites/{site_id}/go-live", headers=ADMIN)
    refused = opened["Pacific campus"]
    assert refused.status_code == 409, refused.text  # not yet the effective day there
    assert refused.json()["type"].endswith("go-live-not-effective")
    assert opened["UTC campus"].status_code == 200, opened["UTC campus"].text  # as before


def evening_sites(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """A Los Angeles site and one without a zone, with the clock at 18:00 on D there."""
    monkeypatch.setattr(mso_clock, "now", lambda: EVENING)
    return propose(pair, time_zone=LOS_ANGELES)["id"], propose(pair)["id"]


def test_the_operating_term_is_shown_for_the_sites_own_today(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacific, utc = evening_sites(pair, monkeypatch)

    shown = ok(pair.mso.get(f"/sites/{pacific}/operating-term", headers=ADMIN))
    assert shown["on"] == str(D)
    as_before = ok(pair.mso.get(f"/sites/{utc}/operating-term", headers=ADMIN))
    assert as_before["on"] == str(D + timedelta(days=1))


def test_a_form_request_is_received_on_the_sites_own_day(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacific, utc = evening_sites(pair, monkeypatch)
    form = {
        "service_line": "sports_clearance",
        "kind": "sports_clearance",
        "requested_by": {"kind": "school", "name": "Eastside High athletics"},
        "patient": {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"},
        "due_on": str(D),  # due the day it is received, there
    }
    there = pair.mso.post("/forms", json={**form, "site_id": pacific}, headers=SCHEDULER)
    assert there.status_code == 201, there.text
    here = pair.mso.post("/forms", json={**form, "site_id": utc}, headers=SCHEDULER)
    assert here.status_code == 422, here.text  # already D + 1 in UTC, as before zones
    assert here.json()["field"] == "due_on"
