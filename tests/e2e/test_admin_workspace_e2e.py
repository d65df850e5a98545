"""The admin workspace's main journeys in chromium, against two live services.

The data is made through the APIs (a live site, a service line whose authorization request
is pending at the PC); the browser then does what the people do: the Medical Director
approves the request on a basis, the MSO admin books under it and opens its provenance.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from admin.browser import sign_in
from tests.conftest import StoreUrl
from tests.e2e.browser import chromium, workspace
from tests.e2e.flows import (
    FEED_WAIT,
    authorizations,
    create_site,
    go_live,
    propose_line,
    request_authorization,
    service_line,
)
from tests.e2e.harness import running_services, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.deployed]


def test_director_approves_and_admin_books_under_it(store_url: StoreUrl, tmp_path: Path) -> None:
    with running_services(store_url, tmp_path) as services:
        mso, pc = services.mso.client(), services.pc.client()
        site_id = create_site(mso, "Northgate Clinic")
        propose_line(mso, site_id)
        go_live(mso, pc, site_id)
        request_authorization(mso, site_id)
        pending = wait_until(
            lambda: authorizations(pc, "pending", kind="service_line"),
            FEED_WAIT,
            message="the line's request at the PC",
        )
        authorization_id = str(pending[0]["id"])

        with workspace(services, tmp_path) as base, chromium() as browser:
            page = browser.new_page()

            # a name the platform would refuse: the problem's title and detail are shown
            page.goto(base + "/")
            page.get_by_label("Name").fill("no spaces allowed")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("alert")).to_contain_text("Invalid name")

            sign_in(page, base, "medical_director", "dr-lee")
            row = page.locator(f"[data-authorization='{authorization_id}']")
            expect(row).to_contain_text("Northgate Clinic")
            expect(row).to_contain_text("pending")
            row.get_by_role("button", name="Review").click()
            expect(page.get_by_role("heading", name=re.compile("Northgate Clinic"))).to_be_visible()

            # no basis reference: the service's problem, title and detail, nothing decided
            page.get_by_role("button", name="Approve").click()
            problem = page.get_by_role("alert")
            expect(problem).to_be_visible()
            expect(problem.locator("strong")).not_to_be_empty()
            expect(problem.locator("p")).to_contain_text("reference")
            expect(page.locator("[data-status]")).to_have_text("pending")

            page.get_by_label("Basis reference").fill("MD-ACT-2026-031")
            page.get_by_role("button", name="Approve").click()
            expect(page.locator("[data-status]")).to_have_text("approved")
            page.get_by_role("button", name="Provenance").click()
            expect(page.locator(".provenance")).to_contain_text("MD-ACT-2026-031")

            wait_until(
                lambda: service_line(mso, site_id)["status"] == "authorized",
                FEED_WAIT,
                message="the approval at the MSO",
            )

            page.get_by_role("button", name="Sign out").click()
            sign_in(page, base, "mso_admin", "ann")
            page.locator(f"[data-site='{site_id}']").get_by_role("button", name="Open").click()
            expect(page.locator("[data-line='sports_clearance']")).to_contain_text("authorized")
            page.get_by_label("Start").fill("2027-01-10T10:00")
            page.get_by_label("Patient").fill("Pat Doe")
            page.get_by_label("Date of birth").fill("2010-04-01")
            page.get_by_label("Contact").fill("555-0100")
            page.get_by_role("button", name="Book").click()

            provenance = page.locator(".provenance")
            expect(provenance).to_contain_text("Provenance of booking")
            expect(provenance.locator("dd[data-field='authorization_id']").first).to_have_text(
                authorization_id
            )
            expect(page.locator("[data-appointment]")).to_have_count(1)
        mso.close()
        pc.close()


def test_director_holds_the_monthly_meeting(store_url: StoreUrl, tmp_path: Path) -> None:
    with (
        running_services(store_url, tmp_path) as services,
        workspace(services, tmp_path) as base,
        chromium() as browser,
    ):
        page = browser.new_page()
        sign_in(page, base, "medical_director", "dr-lee")
        page.get_by_role("link", name="Meetings").click()
        page.get_by_label("Period (month)").fill(datetime.now(UTC).strftime("%Y-%m"))
        page.get_by_label("Scheduled for").fill(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Schedule").click()
        status = page.locator("[data-meeting-status]")
        expect(status).to_have_text("scheduled")

        page.get_by_label("Agenda item", exact=True).fill("Sports clearance protocol v4")
        page.get_by_label("Reference").fill("PROT-7")
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator("[data-item='Sports clearance protocol v4']")).to_contain_text("open")

        expect(page.locator("[data-quorum]")).to_contain_text("not met")
        for person, role in (
            ("dr-lee", "medical_director"),
            ("dr-kim", "physician"),
            ("np-ray", "app"),
        ):
            page.get_by_label("Attendee", exact=True).fill(person)
            page.get_by_label("Attendee role").select_option(role)
            page.get_by_role("button", name="Present").click()
            expect(page.get_by_role("cell", name=person, exact=True)).to_be_visible()
        expect(page.locator("[data-quorum]")).to_contain_text("met (")
        page.get_by_role("button", name="Call to order").click()
        expect(status).to_have_text("in_session")

        page.get_by_label("Motion", exact=True).fill("Adopt the sports clearance protocol v4")
        page.get_by_label("Moved by").fill("dr-kim")
        page.get_by_role("button", name="Move").click()
        motion = page.locator("[data-motion='Adopt the sports clearance protocol v4']")
        votes = (
            ("dr-lee", "for", "for 1"),
            ("dr-kim", "for", "for 2"),
            ("np-ray", "abstain", "abstain 1"),
        )
        for voter, choice, tally in votes:
            motion.get_by_label("Voter").fill(voter)
            motion.get_by_label("Vote", exact=True).select_option(choice)
            motion.get_by_role("button", name="Vote", exact=True).click()
            expect(motion.locator("[data-tally]")).to_contain_text(tally)
        motion.get_by_role("button", name="Close the vote").click()
        expect(motion.locator("[data-outcome]")).to_have_text("carried")

        page.get_by_role("button", name="Decided").click()
        expect(page.locator("[data-item='Sports clearance protocol v4']")).to_contain_text(
            "decided"
        )
        page.get_by_role("button", name="Adjourn").click()
        expect(status).to_have_text("adjourned")
        page.get_by_label("Minutes").fill("Quorum met. The protocol v4 was adopted, 2-0-1.")
        page.get_by_role("button", name="Save the minutes").click()
        expect(page.locator("[data-minutes-status]")).to_have_text("draft")
        page.get_by_role("button", name="Approve the minutes").click()
        expect(page.locator("[data-minutes-status]")).to_have_text("approved")
        page.get_by_role("button", name="Close the meeting").click()
        expect(status).to_have_text("closed")
        expect(page.locator("[data-tally]")).to_have_text("for 2 · against 0 · abstain 1")
        expect(page.get_by_role("button", name="Save the minutes")).to_have_count(0)
