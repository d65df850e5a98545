"""Steps the vendor and facility tests share: sites, vendors, contracts, read models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.mso_ops.projections import facilities, site_downtime
from tests.integration.conftest import ADMIN, AUDITOR
from tests.integration.services import Pair

TABLES = facilities.TABLES + site_downtime.TABLES


def site(pair: Pair, name: str = "Eastside High") -> str:
    response = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def vendor(pair: Pair, name: str = "Bay Janitorial") -> str:
    response = pair.mso.post(
        "/vendors", json={"name": name, "contact": "ops@bay.example"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def contract_body(vendor_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "vendor_id": vendor_id,
        "supplies": "janitorial",
        "description": "Nightly cleaning",
        "term_start": "2027-01-01",
        "term_end": "2027-12-31",
        "renewal_date": "2027-10-01",
        **overrides,
    }


def sign(pair: Pair, vendor_id: str, **overrides: Any) -> dict[str, Any]:
    response = pair.mso.post(
        "/vendor-contracts", json=contract_body(vendor_id, **overrides), headers=ADMIN
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(pair: Pair, path: str, **params: Any) -> list[str]:
    response = pair.mso.get(path, params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["items"]]


def read_models(pair: Pair) -> dict[str, list[Any]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(select(tables[name]))), key=str)
            for name in TABLES
        }
