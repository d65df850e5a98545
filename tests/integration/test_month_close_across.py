"""The month closes both ways: PC Governance publishes a month's audit readiness
(`audit-readiness.published` v1), and the MSO's monthly performance report carries it,
through the real feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from contracts import Envelope
from mhg.audit.sealing import seal_pending
from mhg.eventstore import AlreadyApplied
from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import post
from tests.integration.mso_performance_helpers import (
    AUDITOR,
    SERVICE,
    at,
    authorized_site,
    kpi,
    months_ago,
    visit,
)
from tests.integration.pc_open_items import QUALITY, ok, schedule
from tests.integration.services import Pair, service_pair


def publish(pair: Pair, month: str, who: dict[str, str] = DIRECTOR) -> Any:
    return pair.pc.post(f"/audit-readiness/{month}/publish", headers=who)


def close(pair: Pair, month: str, **headers: str) -> dict[str, Any]:
    closed = pair.mso.post(f"/performance-reports/{month}/close", headers={**ADMIN, **headers})
    assert closed.status_code == 201, closed.text
    return dict(closed.json())


def governance_calendar(pair: Pair) -> None:
    """A meeting held for the month before last; none held for last month."""
    before_last, last = months_ago(2), months_ago(1)
    held = schedule(pair, f"{before_last:%Y-%m}", f"{at(before_last, 10, 18).isoformat()}")
    post(pair.pc, f"/meetings/{held}/open", {"at": at(before_last, 10, 18).isoformat()})
    post(pair.pc, f"/meetings/{held}/adjourn", {"at": at(before_last, 10, 19).isoformat()})
    schedule(pair, f"{last:%Y-%m}", at(last, 10, 18).isoformat())


def test_the_mso_report_carries_the_pc_figure_of_the_month(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        month = f"{months_ago(1):%Y-%m}"
        last_day = (months_ago(0) - timedelta(days=1)).isoformat()
        site = authorized_site(pair, "North Campus", ("sports_clearance",))
        visit(pair, site, "sports_clearance", at(months_ago(1), 5), "fulfilled")
        governance_calendar(pair)

        # closed before the PC published: no figure, null
        first = close(pair, month)
        assert kpi(first, site, "audit_readiness")["value"] is None

        seal_pending(pair.pc_runtime.ledger)
        response = publish(pair, month)
        assert response.status_code == 200, response.text
        figure = response.json()
        assert (figure["month"], figure["revision"], figure["as_of"]) == (month, 1, last_day)
        by_category = {c["category"]: (c["required"], c["current"]) for c in figure["categories"]}
        assert by_category["meetings"] == (2, 1)  # last month had no meeting held
        judged = ok(pair.pc.get("/audit-readiness", params={"as_of": last_day}, headers=AUDITOR))
        assert (figure["required"], figure["current"]) == (judged["required"], judged["current"])
        assert figure["share"] == judged["share"] < 1
        messages = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE)
        [message] = [
            m for m in ok(messages)["messages"] if m["type"] == "audit-readiness.published"
        ]
        assert message["payload"]["required"] == figure["required"]

        pair.sync()
        second = close(pair, month, **{"If-Match": f'"{first["version"]}"'})
        reading = kpi(second, site, "audit_readiness")
        expected = figure["current"] / figure["required"]
        assert float(reading["value"]) == pytest.approx(expected, abs=1e-4)
        assert reading["sample_size"] == figure["required"]

        # the meeting of last month held late: published again, the next revision wins
        [late] = ok(pair.pc.get("/meetings", params={"period": month}, headers=AUDITOR))["items"]
        day = months_ago(0).isoformat()
        post(pair.pc, f"/meetings/{late['id']}/open", {"at": f"{day}T00:10:00Z"})
        post(pair.pc, f"/meetings/{late['id']}/adjourn", {"at": f"{day}T00:20:00Z"})
        seal_pending(pair.pc_runtime.ledger)
        again = ok(publish(pair, month, QUALITY))
        assert again["revision"] == 2
        # judged on the month's last day, the late meeting is not known as of then
        assert again["current"] == figure["current"]
        pair.sync()
        assert stored_revision(pair) == 2


def test_only_the_pc_publishes_a_month_that_is_over(pair: Pair) -> None:
    this_month = f"{months_ago(0):%Y-%m}"
    refused = publish(pair, this_month)
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("month-not-over")
    month = f"{months_ago(1):%Y-%m}"
    for who, status in ((ADMIN, 403), (auth("physician", "dr-kim"), 403), (AUDITOR, 403)):
        assert publish(pair, month, who).status_code == status
    assert pair.pc.post(f"/audit-readiness/{month}/publish").status_code == 401
    for bad in ("2026-13", "October", "0000-01"):
        assert publish(pair, bad).status_code in (404, 422), bad


def test_a_publish_retried_with_its_key_answers_the_first_and_publishes_once(
    pair: Pair,
) -> None:
    month, other = f"{months_ago(1):%Y-%m}", f"{months_ago(2):%Y-%m}"
    keyed = {**DIRECTOR, "Idempotency-Key": "close-readiness-1"}
    first = publish(pair, month, keyed)
    assert first.status_code == 200, first.text
    assert "Idempotent-Replayed" not in first.headers
    head = pair.pc_runtime.application.head_position()

    again = publish(pair, month, keyed)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert pair.pc_runtime.application.head_position() == head  # no second event

    reused = publish(pair, other, keyed)  # the same key for another month
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"] == "/problems/idempotency-key-reused"
    assert pair.pc_runtime.application.head_position() == head

    # another key (or none) is another publication: the next revision
    assert (
        ok(publish(pair, month, {**DIRECTOR, "Idempotency-Key": "close-readiness-2"}))["revision"]
        == 2
    )
    assert ok(publish(pair, month))["revision"] == 3
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE)
    envelopes = [m for m in ok(feed)["messages"] if m["type"] == "audit-readiness.published"]
    assert [e["payload"]["revision"] for e in envelopes] == [1, 2, 3]


def test_a_late_older_revision_is_skipped_durably(pair: Pair) -> None:
    month = f"{months_ago(1):%Y-%m}"
    ok(publish(pair, month))
    ok(publish(pair, month))
    feed = pair.pc.get("/contracts/v1/feed", params={"limit": 1000}, headers=SERVICE)
    envelopes = [m for m in ok(feed)["messages"] if m["type"] == "audit-readiness.published"]
    assert [e["payload"]["revision"] for e in envelopes] == [1, 2]
    pair.sync()
    policy = pair.mso_runtime.parts.inbound(pair.mso_runtime.application)
    stale = Envelope.model_validate(envelopes[0] | {"position": envelopes[-1]["position"] + 100})
    policy(stale)  # revision 1 after 2: skipped, the position consumed
    with pytest.raises(AlreadyApplied):
        policy(stale)
    assert stored_revision(pair) == 2
    pair.mso_runtime.projections.rebuild()  # the read model rebuilds from the log alike
    assert stored_revision(pair) == 2


def stored_revision(pair: Pair) -> int:
    """The revision of the PC's figure the MSO's read model holds (one month)."""
    pair.mso_runtime.projections.catch_up()
    rows = pair.mso_runtime.store.metadata.tables["mso_pc_audit_readiness"]
    with pair.mso_runtime.store.reader.connect() as conn:
        [(revision,)] = conn.execute(rows.select().with_only_columns(rows.c.revision)).all()
    return int(revision)
