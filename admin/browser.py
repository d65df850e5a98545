"""Driving the workspace in Debian's chromium (Playwright, a dev dependency; no download).

Shared by the browser tests (tests/e2e) and `python -m admin.screenshots`.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

CHROMIUM = Path(os.environ.get("MHG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page: Page, base: str, role: str, name: str) -> None:
    """Development sign-in as `role` called `name`, until the workspace names them."""
    page.goto(base + "/")
    page.get_by_label("Role").select_option(role)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-signed-in]")).to_contain_text(name)
