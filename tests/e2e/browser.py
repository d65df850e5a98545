"""The admin workspace in a real browser: Debian's chromium under Playwright, never a download.

The workspace's origin (`python -m admin`) runs as a process in front of the two live
services; Playwright drives the chromium the machine has (`apt-get install -y chromium`).
Without it the tests fail, saying so: a missing browser is not a pass.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from admin.browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.harness import Services, free_port, wait_until

BUILT = Path(__file__).resolve().parents[2] / "admin" / "web" / "dist" / "index.html"


@contextmanager
def workspace(services: Services, log_dir: Path) -> Iterator[str]:
    """The workspace's origin over `services`; its base URL."""
    if not BUILT.is_file():
        pytest.fail(f"the admin workspace is not built ({BUILT}): run `make admin` (npm ci, build)")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "admin",
        "--port",
        str(port),
        "--mso",
        services.mso.base_url,
        "--pc",
        services.pc.base_url,
    ]
    with (log_dir / "admin.log").open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:

            def serving() -> bool:
                if process.poll() is not None:
                    pytest.fail(f"the admin workspace exited: see {log_dir / 'admin.log'}")
                return httpx.get(base + "/", timeout=2).status_code == 200

            wait_until(
                serving,
                60.0,
                message="the admin workspace to serve its page",
            )
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no chromium at {CHROMIUM}: the browser tests need Debian's chromium "
            "(`apt-get install -y chromium`; .ci/run installs it)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
