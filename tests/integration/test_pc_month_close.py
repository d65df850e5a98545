"""A month without a held governance meeting counts against audit readiness and is an
agenda item (ADR 0013); the governance calendar starts at the PC's first meeting."""

from __future__ import annotations

from typing import Any

from tests.conftest import StoreUrl
from tests.integration.conftest import ADMIN
from tests.integration.meeting_helpers import post
from tests.integration.pc_open_items import AUDITOR, assemble, ok, schedule
from tests.integration.services import Pair, service_pair


def hold(pair: Pair, period: str, day: str) -> str:
    """A meeting for `period`, opened and adjourned on `day`."""
    meeting_id = schedule(pair, period, f"{day}T18:00:00Z")
    post(pair.pc, f"/meetings/{meeting_id}/open", {"at": f"{day}T18:00:00Z"})
    post(pair.pc, f"/meetings/{meeting_id}/adjourn", {"at": f"{day}T19:00:00Z"})
    return meeting_id


def meetings(pair: Pair, as_of: str) -> tuple[tuple[int, int], dict[str, Any]]:
    body = ok(pair.pc.get("/audit-readiness", params={"as_of": as_of}, headers=AUDITOR))
    [row] = [c for c in body["categories"] if c["category"] == "meetings"]
    missed = {i["id"]: i for i in body["not_current"] if i["category"] == "meetings"}
    return (row["required"], row["current"]), missed


def test_each_month_over_without_a_held_meeting_counts_against_readiness(pair: Pair) -> None:
    assert meetings(pair, "2026-12-02") == ((0, 0), {})  # no meeting yet: no calendar
    hold(pair, "2026-09", "2026-09-10")
    schedule(pair, "2026-11", "2026-11-05T18:00:00Z")  # scheduled, never held
    pair.sync()

    table, missed = meetings(pair, "2026-12-02")
    assert table == (3, 1)
    assert {month: (i["reason"], i["due_on"], i["done_on"]) for month, i in missed.items()} == {
        "2026-10": ("no_meeting_held", "2026-10-31", None),
        "2026-11": ("no_meeting_held", "2026-11-30", None),
    }
    assert missed["2026-10"]["title"] == "A governance meeting held for 2026-10"
    assert meetings(pair, "2026-10-01") == ((1, 1), {})  # only September has ended
    assert meetings(pair, "2026-09-30") == ((1, 1), {})  # on its last day, it counts
    assert meetings(pair, "2026-09-29") == ((0, 0), {})  # not yet
    # held late, in December, the November meeting still counts for November
    meeting_id = next(
        m["id"]
        for m in ok(pair.pc.get("/meetings", params={"period": "2026-11"}, headers=AUDITOR))[
            "items"
        ]
    )
    post(pair.pc, f"/meetings/{meeting_id}/open", {"at": "2026-12-03T18:00:00Z"})
    post(pair.pc, f"/meetings/{meeting_id}/adjourn", {"at": "2026-12-03T19:00:00Z"})
    pair.sync()
    assert meetings(pair, "2026-12-02")[0] == (3, 1)  # not known as of the 2nd
    table, missed = meetings(pair, "2026-12-04")
    assert (table, set(missed)) == ((3, 2), {"2026-10"})
    assert missed["2026-10"]["done_on"] is None
    assert pair.pc.get("/audit-readiness", headers=ADMIN).status_code == 403


def test_each_past_month_without_a_held_meeting_is_on_the_agenda(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        hold(pair, "2190-01", "2190-01-08")
        schedule(pair, "2190-03", "2190-03-05T18:00:00Z")  # never held
        april = schedule(pair, "2190-04", "2190-04-05T18:00:00Z")
        items = assemble(pair, april, ["month_without_meeting"])
        assert [(i["kind"], i["reference"]) for i in items] == [
            ("month_without_meeting", "2190-02"),
            ("month_without_meeting", "2190-03"),
        ]
        assert items[0]["title"] == (
            "No governance meeting was held for 2190-02: it counts against audit readiness"
        )
        assert assemble(pair, april, ["month_without_meeting"]) == items  # nothing new

        # March's meeting held late: the next agenda names February and April only
        hold(pair, "2190-03", "2190-04-02")
        may = schedule(pair, "2190-05", "2190-05-06T18:00:00Z")
        later = assemble(pair, may, ["month_without_meeting"])
        assert [i["reference"] for i in later] == ["2190-02", "2190-04"]
