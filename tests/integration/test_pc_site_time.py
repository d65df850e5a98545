"""PC Governance reads a site's "today" on the site's wall clock (ADR 0027).

The MSO publishes each site's IANA zone (`site.time-zone-set`) whenever it is set,
changed or removed; the PC keeps it. At 18:00 in Los Angeles it is already the next day
in UTC: the protocols in effect "today" at a Los Angeles site are those of its own day,
while a site without a zone keeps UTC's today, as before zones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.pc_governance.application import clock as pc_clock
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.services import Pair
from tests.integration.site_helpers import ok

LOS_ANGELES = "America/Los_Angeles"
EVENING = datetime(2027, 1, 19, 2, 0, tzinfo=UTC)  # 18:00 on 18 January in Los Angeles
LINE = "sports_clearance"


def site(pair: Pair, name: str, **zone: str) -> str:
    body = {"name": name, "kind": "campus", "address": "1 Main St", **zone}
    return str(ok(pair.mso.post("/sites", json=body, headers=ADMIN), 201)["id"])


def in_effect_today(pair: Pair, site_id: str) -> tuple[str, list[int]]:
    params = {"site_id": site_id, "service_line": LINE}
    found: dict[str, Any] = ok(pair.pc.get("/protocols/in-effect", params=params, headers=DIRECTOR))
    return found["on"], [item["version"] for item in found["items"]]


def test_a_sites_today_at_the_pc_is_its_own_day(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pc_clock, "now", lambda: EVENING)
    pacific = site(pair, "Pacific Campus", time_zone=LOS_ANGELES)
    utc = site(pair, "UTC Campus")
    pair.sync()
    body = {
        "title": "Sports pre-participation clearance",
        "type": "protocol",
        "service_lines": [LINE],
        "site_ids": [pacific, utc],
        "body": "Auscultate heart and lungs; refer murmurs.",
    }
    protocol = ok(pair.pc.post("/protocols", json=body, headers=DIRECTOR), 201)["id"]
    approved = pair.pc.post(
        f"/protocols/{protocol}/versions/1/approve",
        json={"effective_from": "2027-01-19"},  # UTC's today: the day after, in Los Angeles
        headers=DIRECTOR,
    )
    assert approved.status_code == 200, approved.text
    pair.sync()

    assert in_effect_today(pair, pacific) == ("2027-01-18", [])  # not yet, on its clock
    assert in_effect_today(pair, utc) == ("2027-01-19", [1])  # as before zones

    ok(pair.mso.put(f"/sites/{pacific}/time-zone", json={"time_zone": None}, headers=ADMIN))
    pair.sync()
    assert in_effect_today(pair, pacific) == ("2027-01-19", [1])  # its zone removed: UTC
