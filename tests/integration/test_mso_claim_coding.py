"""Claims and the PC's coding rules at MSO Operations, over HTTP: the version in force on
the service date is cited (not the one in force on the day of submission), a claim with
none in force is refused and nothing is written, and only billing readers see them."""

from __future__ import annotations

import uuid
from datetime import date

from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.mso_billing_helpers import (
    BILLING,
    claim_body,
    pair,
    site_with_lines,
    submit,
)
from tests.integration.policy_feed import coding_rules, coding_version, records_policy
from tests.integration.services import Pair
from tests.integration.template_feed import deliver
from tests.integration.test_pc_protocols import problem

__all__ = ["pair"]  # fixture


def add_line(pair: Pair, site_id: str, code: str) -> None:
    line = pair.mso.post(f"/sites/{site_id}/service-lines", json={"code": code}, headers=ADMIN)
    assert line.status_code == 201, line.text


def cited(pair: Pair, claim_id: str) -> dict[str, object]:
    response = pair.mso.get(f"/billing/claims/{claim_id}/coding-rules", headers=BILLING)
    assert response.status_code == 200, response.text
    coded: dict[str, object] = response.json()["coded_under"]
    return coded


def test_the_version_in_force_on_the_service_date_is_cited(pair: Pair) -> None:
    site_id = site_with_lines(pair)
    document = uuid.uuid4()
    first = coding_version(1, 9000, effective_from=date(2027, 1, 1), ended_on=date(2027, 2, 1))
    second = coding_version(2, 9900, effective_from=date(2027, 2, 1))
    deliver(pair, coding_rules("school_physical", first, second, document_id=document))
    add_line(pair, site_id, "school_physical")

    january = submit(
        pair,
        site_id,
        "J-1",
        service_line="school_physical",
        service_date="2027-01-20",
        submitted_on="2027-02-10",
    )
    february = submit(
        pair,
        site_id,
        "F-1",
        service_line="school_physical",
        service_date="2027-02-01",
        submitted_on="2027-02-10",
    )
    assert cited(pair, january["id"])["version"] == 1
    assert cited(pair, february["id"])["version"] == 2
    assert cited(pair, february["id"])["document_id"] == str(document)

    in_force = pair.mso.get(
        "/coding-rules/in-force?service_line=school_physical&on=2027-01-31", headers=BILLING
    ).json()
    assert (in_force["version"], in_force["terms"]["codes"][0]["fee_cents"]) == (1, 9000)


def test_a_claim_without_coding_rules_in_force_is_refused_and_nothing_written(
    pair: Pair,
) -> None:
    site_id = site_with_lines(pair)  # sports_clearance, coded since 2026
    deliver(
        pair,
        coding_rules("employment_physical", coding_version(effective_from=date(2027, 2, 1))),
    )
    add_line(pair, site_id, "employment_physical")
    head = pair.mso_runtime.application.head_position()
    early = pair.mso.post(
        "/billing/claims",
        json=claim_body(site_id, "E-1", service_line="employment_physical"),
        headers=BILLING,
    )
    body = problem(early, 409, "clinical-policy-not-in-force")
    assert body["day"] == "2027-01-08"
    assert pair.mso_runtime.application.head_position() == head
    assert (
        pair.mso.get("/billing/claims?service_line=employment_physical", headers=BILLING).json()[
            "items"
        ]
        == []
    )


def test_who_reads_coding_rules_and_the_records_policy(pair: Pair) -> None:
    site_with_lines(pair)
    url = "/coding-rules/in-force?service_line=sports_clearance&on=2027-01-08"
    assert pair.mso.get(url, headers=BILLING).status_code == 200
    assert pair.mso.get(url, headers=SCHEDULER).status_code == 403
    problem(pair.mso.get("/records-policy", headers=BILLING), 409, "clinical-policy-not-in-force")
    deliver(pair, records_policy())
    assert pair.mso.get("/records-policy", headers=SCHEDULER).json()["version"] == 1
    bad_day = pair.mso.get("/records-policy?on=2300-01-01", headers=BILLING)
    assert bad_day.status_code == 422
