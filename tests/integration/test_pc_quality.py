"""Chart review over HTTP, on each backend: samples, findings, scores, and their read models."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from tests.conftest import StoreUrl, auth
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair, service_pair

QUALITY = auth("pc_quality", "quality-ann")
PHYSICIAN = auth("physician", "dr-kim")
APP = auth("app", "np-jo")
AUDITOR = auth("auditor", "aud-1")
MSO = auth("mso_admin", "ann")
CLINICIAN = str(uuid.uuid4())
OTHER_CLINICIAN = str(uuid.uuid4())
TABLES = ("pc_review_samples", "pc_quality_scores", "pc_corrective_actions")


def open_sample(
    pair: Pair,
    charts: list[str],
    *,
    clinician: str = CLINICIAN,
    period: str = "2026-11",
    service_line: str = "sports_clearance",
) -> dict[str, Any]:
    response = pair.pc.post(
        "/quality/reviews",
        json={
            "clinician_id": clinician,
            "period": period,
            "service_line": service_line,
            "chart_refs": charts,
        },
        headers=QUALITY,
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/quality/reviews/{response.json()['id']}"
    body: dict[str, Any] = response.json()
    return body


def find(pair: Pair, sample_id: str, chart: str, severity: str, **extra: Any) -> dict[str, Any]:
    response = pair.pc.post(
        f"/quality/reviews/{sample_id}/findings",
        json={"chart_ref": chart, "severity": severity, "category": "documentation", **extra},
        headers=PHYSICIAN,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def complete(pair: Pair, sample_id: str, charts: int) -> dict[str, Any]:
    response = pair.pc.post(
        f"/quality/reviews/{sample_id}/complete",
        json={"charts_reviewed": charts},
        headers=PHYSICIAN,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def reviewed(pair: Pair, severities: list[str], **subject: Any) -> dict[str, Any]:
    charts = [f"EHR-{uuid.uuid4().hex[:8]}" for _ in severities]
    sample = open_sample(pair, charts, **subject)
    for chart, severity in zip(charts, severities, strict=True):
        find(pair, sample["id"], chart, severity)
    return complete(pair, sample["id"], len(charts))


def rows(pair: Pair, name: str) -> list[dict[str, Any]]:
    table = pair.pc_runtime.store.metadata.tables[name]
    with pair.pc_runtime.store.reader.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.position))]


def test_a_sample_is_reviewed_chart_by_chart_and_scored(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        sample = open_sample(pair, ["EHR-1", "EHR-2", "EHR-3"])
        assert (sample["status"], sample["unreviewed"], sample["score"]) == (
            "open",
            ["EHR-1", "EHR-2", "EHR-3"],
            None,
        )
        assert sample["opened_by"] == "quality-ann"
        first = find(pair, sample["id"], "EHR-1", "none")
        find(pair, sample["id"], "EHR-2", "major", note="No cardiac history taken")
        find(pair, sample["id"], "EHR-2", "minor")
        assert first["reviewer"] == "dr-kim"
        got = pair.pc.get(
            f"/quality/reviews/{sample['id']}/findings/{first['id']}", headers=AUDITOR
        )
        assert got.status_code == 200
        assert got.json()["severity"] == "none"

        early = pair.pc.post(
            f"/quality/reviews/{sample['id']}/complete",
            json={"charts_reviewed": 3},
            headers=PHYSICIAN,
        )
        assert early.status_code == 422
        assert early.json()["type"] == "/problems/invalid-review-sample"
        assert early.json()["unreviewed"] == ["EHR-3"]

        find(pair, sample["id"], "EHR-3", "moderate", category="protocol_adherence")
        done = complete(pair, sample["id"], 3)
        assert (done["status"], done["score"], done["completed_by"]) == (
            "completed",
            33.3,
            "dr-kim",
        )
        assert [f["note"] for f in done["findings"]] == [
            None,
            "No cardiac history taken",
            None,
            None,
        ]

        closed = pair.pc.post(
            f"/quality/reviews/{sample['id']}/findings",
            json={"chart_ref": "EHR-1", "severity": "minor", "category": "other"},
            headers=PHYSICIAN,
        )
        assert closed.status_code == 409
        assert closed.json()["type"] == "/problems/review-sample-closed"

        pair.sync()
        [row] = pair.pc.get("/quality/reviews", headers=APP).json()["items"]
        assert (row["finding_count"], row["serious_finding_count"], row["score"]) == (4, 2, 33.3)
        [score] = pair.pc.get("/quality/scores", headers=DIRECTOR).json()["items"]
        assert score == {
            "period": "2026-11",
            "clinician_id": CLINICIAN,
            "service_line": "sports_clearance",
            "samples": 1,
            "charts_reviewed": 3,
            "charts_clear": 1,
            "score": 33.3,
        }


def test_scores_add_up_per_clinician_service_line_and_period(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        reviewed(pair, ["none", "major"])
        reviewed(pair, ["none", "minor"])
        reviewed(pair, ["critical"], clinician=OTHER_CLINICIAN)
        reviewed(pair, ["none"], period="2026-12")
        reviewed(pair, ["moderate"], service_line="school_physical")
        open_sample(pair, ["EHR-open"])
        pair.sync()

        def scores(**params: str) -> list[tuple[str, str, str, int, float]]:
            page = pair.pc.get("/quality/scores", params=params, headers=QUALITY)
            assert page.status_code == 200, page.text
            return [
                (s["period"], s["clinician_id"], s["service_line"], s["samples"], s["score"])
                for s in page.json()["items"]
            ]

        assert scores(
            period="2026-11", clinician_id=CLINICIAN, service_line="sports_clearance"
        ) == [("2026-11", CLINICIAN, "sports_clearance", 2, 75.0)]
        assert scores(clinician_id=OTHER_CLINICIAN) == [
            ("2026-11", OTHER_CLINICIAN, "sports_clearance", 1, 0.0)
        ]
        assert scores(period="2026-12") == [("2026-12", CLINICIAN, "sports_clearance", 1, 100.0)]
        assert scores(service_line="school_physical") == [
            ("2026-11", CLINICIAN, "school_physical", 1, 0.0)
        ]
        assert len(scores()) == 4

        first = pair.pc.get("/quality/scores", params={"limit": 3}, headers=QUALITY).json()
        rest = pair.pc.get(
            "/quality/scores", params={"limit": 3, "cursor": first["next_cursor"]}, headers=QUALITY
        ).json()
        assert len(first["items"]) == 3
        assert len(rest["items"]) == 1
        assert rest["next_cursor"] is None

        samples = pair.pc.get("/quality/reviews", params={"status": "open"}, headers=QUALITY)
        assert [s["chart_count"] for s in samples.json()["items"]] == [1]
        by_period = pair.pc.get("/quality/reviews", params={"period": "2026-12"}, headers=QUALITY)
        assert len(by_period.json()["items"]) == 1
        by_line = pair.pc.get(
            "/quality/reviews",
            params={"service_line": "sports_clearance", "clinician_id": CLINICIAN},
            headers=QUALITY,
        )
        assert len(by_line.json()["items"]) == 4
        bad = pair.pc.get("/quality/scores", params={"period": "November"}, headers=QUALITY)
        assert bad.status_code == 422

        before = {name: rows(pair, name) for name in TABLES}
        pair.pc_runtime.projections.rebuild()
        assert {name: rows(pair, name) for name in TABLES} == before


def test_bad_input_names_the_field_and_writes_nothing(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        sample = open_sample(pair, ["EHR-1"])
        head = pair.pc_runtime.application.head_position()
        cases: list[tuple[str, dict[str, Any], str]] = [
            (
                "/quality/reviews",
                {
                    "clinician_id": CLINICIAN,
                    "period": "2026-11",
                    "service_line": "sports_clearance",
                    "chart_refs": ["Jane Doe, chest pain, 54y"],
                },
                "body.chart_refs.0",
            ),
            (
                "/quality/reviews",
                {
                    "clinician_id": CLINICIAN,
                    "period": "2026-13",
                    "service_line": "sports_clearance",
                    "chart_refs": ["EHR-1"],
                },
                "body.period",
            ),
            (
                "/quality/reviews",
                {
                    "clinician_id": "dr-kim",
                    "period": "2026-11",
                    "service_line": "sports_clearance",
                    "chart_refs": ["EHR-1"],
                },
                "body.clinician_id",
            ),
            (
                f"/quality/reviews/{sample['id']}/findings",
                {"chart_ref": "EHR-1", "severity": "bad", "category": "other"},
                "body.severity",
            ),
            (
                f"/quality/reviews/{sample['id']}/findings",
                {
                    "chart_ref": "EHR-1",
                    "severity": "minor",
                    "category": "other",
                    "note": "x" * 2001,
                },
                "body.note",
            ),
            (
                f"/quality/reviews/{sample['id']}/findings",
                {"chart_ref": "EHR-1", "severity": "minor", "category": "other", "extra": 1},
                "body.extra",
            ),
        ]
        for path, body, field in cases:
            response = pair.pc.post(path, json=body, headers=QUALITY)
            assert response.status_code == 422, (path, body, response.text)
            assert field in [e["field"] for e in response.json()["errors"]], response.json()

        duplicate = pair.pc.post(
            "/quality/reviews",
            json={
                "clinician_id": CLINICIAN,
                "period": "2026-11",
                "service_line": "sports_clearance",
                "chart_refs": ["EHR-1", "EHR-1"],
            },
            headers=QUALITY,
        )
        assert duplicate.status_code == 422
        assert duplicate.json()["field"] == "chart_refs"
        elsewhere = pair.pc.post(
            f"/quality/reviews/{sample['id']}/findings",
            json={"chart_ref": "EHR-9", "severity": "minor", "category": "other"},
            headers=PHYSICIAN,
        )
        assert elsewhere.status_code == 422
        assert elsewhere.json()["field"] == "chart_ref"
        miscount = pair.pc.post(
            f"/quality/reviews/{sample['id']}/complete",
            json={"charts_reviewed": 2},
            headers=QUALITY,
        )
        assert miscount.status_code == 422
        assert pair.pc_runtime.application.head_position() == head
        missing = pair.pc.get(f"/quality/reviews/{uuid.uuid4()}", headers=QUALITY)
        assert missing.status_code == 404
        assert missing.json()["type"] == "/problems/review-sample-not-found"


def test_roles_versions_and_retries(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        body = {
            "clinician_id": CLINICIAN,
            "period": "2026-11",
            "service_line": "sports_clearance",
            "chart_refs": ["EHR-1", "EHR-2"],
        }
        for headers in (PHYSICIAN, APP, AUDITOR, MSO):
            assert pair.pc.post("/quality/reviews", json=body, headers=headers).status_code == 403
        assert pair.pc.get("/quality/scores", headers=MSO).status_code == 403

        keyed = {**DIRECTOR, "Idempotency-Key": "sample-1"}
        created = pair.pc.post("/quality/reviews", json=body, headers=keyed)
        again = pair.pc.post("/quality/reviews", json=body, headers=keyed)
        assert created.status_code == again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert created.json()["id"] == again.json()["id"]
        sample_id = created.json()["id"]

        finding = {"chart_ref": "EHR-1", "severity": "none", "category": "other"}
        assert (
            pair.pc.post(
                f"/quality/reviews/{sample_id}/findings", json=finding, headers=APP
            ).status_code
            == 403
        )
        stale = pair.pc.post(
            f"/quality/reviews/{sample_id}/findings",
            json=finding,
            headers={**QUALITY, "If-Match": '"7"'},
        )
        assert stale.status_code == 412
        etag = pair.pc.get(f"/quality/reviews/{sample_id}", headers=QUALITY).headers["ETag"]
        fresh = pair.pc.post(
            f"/quality/reviews/{sample_id}/findings",
            json=finding,
            headers={**QUALITY, "If-Match": etag, "Idempotency-Key": "finding-1"},
        )
        assert fresh.status_code == 201, fresh.text
        assert fresh.headers["ETag"] == '"2"'
        assert (
            fresh.headers["Location"]
            == f"/quality/reviews/{sample_id}/findings/{fresh.json()['id']}"
        )
        replay = pair.pc.post(
            f"/quality/reviews/{sample_id}/findings",
            json=finding,
            headers={**QUALITY, "Idempotency-Key": "finding-1"},
        )
        assert replay.json()["id"] == fresh.json()["id"]
        assert (
            len(pair.pc.get(f"/quality/reviews/{sample_id}", headers=QUALITY).json()["findings"])
            == 1
        )
        stale_complete = pair.pc.post(
            f"/quality/reviews/{sample_id}/complete",
            json={"charts_reviewed": 2},
            headers={**QUALITY, "If-Match": etag},
        )
        assert stale_complete.status_code == 412
