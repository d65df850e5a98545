"""The admin workspace's main journeys in chromium, against two live services.

The data is made through the APIs (a live site, a service line whose authorization request
is pending at the PC); the browser then does what the people do: the Medical Director
approves the request on a basis, the MSO admin books under it and opens its provenance.
"""

from __future__ import annotations

import re
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
