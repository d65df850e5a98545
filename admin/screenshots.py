"""`python -m admin.screenshots [URL]`: the main screens, into docs/screenshots/ (ADR 0030).

Run it against `make run DEMO=1` (the demo year): the Medical Director approves a pending
request, the MSO admin books at a live site under its line's authorization; each screen on
the way is kept.
Needs the dev dependencies (Playwright) and Debian's chromium; downloads nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from admin.browser import CHROMIUM, CHROMIUM_ARGS, sign_in

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def journey(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Name").fill("dr-lee")
    shot(page, "sign-in")
    sign_in(page, base, "medical_director", "dr-lee")
    row = page.locator("tr[data-authorization]", has_text="pending").first
    expect(row).to_be_visible()
    shot(page, "authorizations-pending")
    row.get_by_role("button", name="Review").click()
    page.get_by_label("Basis reference").fill("MD-ACT-2026-040")
    shot(page, "authorization-review")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]")).to_have_text("approved")
    page.get_by_role("button", name="Provenance").click()
    expect(page.locator(".provenance")).to_contain_text("MD-ACT-2026-040")
    shot(page, "authorization-provenance")
    page.get_by_role("link", name="Meetings").click()
    page.locator("tr[data-meeting]", has_text="closed").first.get_by_role(
        "button", name="Open"
    ).click()
    expect(page.locator("[data-minutes-status]")).to_have_text("approved")
    shot(page, "meeting")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "mso_admin", "ann")
    expect(page.locator("[data-site]").first).to_be_visible()
    shot(page, "sites")
    page.locator("tr[data-site]", has_text="live").first.get_by_role("button", name="Open").click()
    expect(page.locator("tr[data-line]", has_text="authorized").first).to_be_visible()
    page.get_by_label("Start").fill("2027-01-11T10:00")
    page.get_by_label("Patient").fill("Sam Rivera")
    page.get_by_label("Date of birth").fill("2011-06-02")
    page.get_by_label("Contact").fill("555-0142")
    shot(page, "site-book")
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".provenance")).to_contain_text("Provenance of booking")
    shot(page, "booking-provenance")


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            journey(browser.new_page(viewport={"width": 1280, "height": 860}), base)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
