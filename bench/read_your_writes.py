"""The read-after-write check of issue 12: does a list read right after a create show it?

Each of `threads` clients creates a site and at once lists the sites page that starts at
the position its answer names (`Log-Position`, ADR 0023), `pairs` times in all, while the
service runs as the benchmark serves it (projections in the background). A miss is a
list that does not show the site just created.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from mhg.pagination import encode_cursor

SITE = {"name": "Read-back site", "kind": "community", "address": "2 Main St"}


def misses(base: str, headers: dict[str, str], pairs: int = 320, threads: int = 32) -> int:
    """How many of `pairs` create-then-list pairs did not see their own create."""

    def write_then_read(_: int) -> bool:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            created = http.post("/sites", json=SITE)
            created.raise_for_status()
            position = int(created.headers["Log-Position"])
            page = http.get(
                "/sites",
                params={"kind": "community", "cursor": encode_cursor(position - 1), "limit": 1},
            )
            page.raise_for_status()
            return [site["id"] for site in page.json()["items"]] != [created.json()["id"]]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return sum(pool.map(write_then_read, range(pairs)))
