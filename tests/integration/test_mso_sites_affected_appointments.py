"""A PC suspension or revocation of a service line: no new bookings, and a list to reschedule."""

from __future__ import annotations

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.services import service_pair
from tests.integration.site_helpers import (
    decide,
    ok,
    site,
)
from tests.integration.test_governed_flow import (
    booking,
    propose_line,
    request_authorization,
)

STARTS = ["2027-01-10T10:00:00Z", "2027-01-11T10:00:00Z", "2027-02-01T09:00:00Z"]


def test_a_suspended_line_lists_its_future_bookings_until_reinstated(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        site_id = propose_line(pair, live=True)
        authorization_id = request_authorization(pair, site_id)
        decide(pair, authorization_id, "approve")
        pair.sync()
        booked = [
            ok(mso.post("/appointments", json=booking(site_id, start), headers=ADMIN), 201)["id"]
            for start in STARTS
        ]
        ok(mso.post(f"/appointments/{booked[1]}/cancel", json={"reason": "ill"}, headers=ADMIN))
        url = f"/sites/{site_id}/service-lines/sports_clearance/affected-appointments"
        pair.sync()
        assert ok(mso.get(url, headers=SCHEDULER))["items"] == [], "the line is authorized"

        decide(pair, authorization_id, "suspend")
        pair.sync()
        refused = mso.post(
            "/appointments", json=booking(site_id, "2027-03-01T10:00:00Z"), headers=ADMIN
        )
        assert refused.status_code == 409
        assert refused.json()["service_line_status"] == "suspended"

        affected = ok(mso.get(url, headers=SCHEDULER))
        assert [a["id"] for a in affected["items"]] == [booked[0], booked[2]]
        assert all(a["authorization_id"] == authorization_id for a in affected["items"])
        assert "patient" not in affected["items"][0]
        first = ok(mso.get(url, params={"limit": 1}, headers=AUDITOR))
        rest = ok(
            mso.get(url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=AUDITOR)
        )
        assert [a["id"] for a in first["items"] + rest["items"]] == [booked[0], booked[2]]
        assert rest["next_cursor"] is None
        february = ok(mso.get(url, params={"start_from": "2027-02-01T00:00:00Z"}, headers=ADMIN))
        assert [a["id"] for a in february["items"]] == [booked[2]]
        january = ok(mso.get(url, params={"start_before": "2027-02-01T00:00:00Z"}, headers=ADMIN))
        assert [a["id"] for a in january["items"]] == [booked[0]]

        for role in ("vendor", "mso_billing", "medical_director"):
            assert mso.get(url, headers=auth(role)).status_code == 403, role
        assert mso.get(url).status_code == 401
        other = f"/sites/{site_id}/service-lines/school_physical/affected-appointments"
        assert mso.get(other, headers=ADMIN).status_code == 404
        bad = mso.get(url, params={"start_from": "2027-02-01"}, headers=ADMIN)
        assert bad.status_code == 422, "a time needs its offset"

        decide(pair, authorization_id, "reinstate")
        pair.sync()
        assert ok(mso.get(url, headers=ADMIN))["items"] == []

        decide(pair, authorization_id, "revoke")
        pair.sync()
        revoked = ok(mso.get(url, headers=ADMIN))
        assert [a["id"] for a in revoked["items"]] == [booked[0], booked[2]]


def test_a_suspended_or_closed_site_takes_no_bookings(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        mso = pair.mso
        site_id = propose_line(pair, live=True)
        decide(pair, request_authorization(pair, site_id), "approve")
        pair.sync()
        ok(mso.post("/appointments", json=booking(site_id), headers=ADMIN), 201)
        # a closed site books nothing, whatever its lines' authorizations say
        ok(
            mso.post(
                f"/sites/{site_id}/close", json={"reason": "district pulled out"}, headers=ADMIN
            )
        )
        assert site(mso, site_id)["status"] == "closed"
        refused = mso.post("/appointments", json=booking(site_id, STARTS[1]), headers=ADMIN)
        assert refused.status_code == 409
        assert refused.json()["type"] == "/problems/site-closed"
