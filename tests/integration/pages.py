"""Walking a cursor-paginated list to its end, as a client would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def every_page(
    client: TestClient, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every item of every page, following `next_cursor`; no page is longer than `limit`."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.get(
            path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        if "limit" in params:
            assert len(page["items"]) <= params["limit"]
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
