"""A burst of concurrent writers: every request is served, none is lost or refused.

Requests beyond what the store's connection pool can serve must wait for a request
thread, not time out inside the pool (which answered 503 under a burst before).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from services.mso_ops.application import MsoOpsApplication
from tests.conftest import StoreUrl, auth
from tests.e2e.harness import event_name, running_services, stored_events, wait_until

pytestmark = pytest.mark.storage

# many more clients than the store has pooled connections (10), each sending two creates
BURST = 120
CLIENTS = 60


@pytest.mark.e2e
def test_a_burst_of_concurrent_creates_is_served_in_full(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with running_services(store_url, tmp_path) as services:
        mso = services.mso

        def create(n: int) -> int:
            with httpx.Client(base_url=mso.base_url, headers=auth("mso_admin"), timeout=60) as http:
                body = {"name": f"Burst site {n}", "kind": "clinic", "address": f"{n} Main St"}
                return http.post("/sites", json=body).status_code

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            statuses = list(pool.map(create, range(BURST)))
        assert statuses == [201] * BURST

        wait_until(lambda: mso.readiness()["projection_lag"] == 0, 30, message="projections")
        with mso.client(auth("mso_admin")) as http:
            listed = http.get("/sites", params={"limit": 500}).json()["items"]
        assert len(listed) == BURST
        url = mso.database_url
    proposed = [
        e for e in stored_events(MsoOpsApplication, url) if event_name(e) == "Site.Proposed"
    ]
    assert len(proposed) == BURST
