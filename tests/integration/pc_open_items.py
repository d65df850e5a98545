"""Steps over HTTP that leave open items in PC Governance, for the agenda and packet tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from contracts import Actor, Envelope, FeedPage
from contracts.v1.performance import KpiValue, PerformanceReportPublishedV1, SitePerformance
from mhg.feed import signed_envelope
from tests.conftest import auth
from tests.integration.conftest import DIRECTOR
from tests.integration.services import Pair
from tests.keys import MSO_KEY

QUALITY = auth("pc_quality", "qa-kim")
PHYSICIAN = auth("physician", "dr-kim")
AUDITOR = auth("auditor", "aud-1")
SUBSCRIPTION = "mso-ops.feed.v1"
ALL_SOURCES = [
    "authorization_request",
    "visit_template_draft",
    "corrective_action",
    "protocol_review",
    "credential_expiring",
    "quality_finding",
    "performance_report",
]
SITE = uuid.UUID("6f1f6a3e-9a55-4c8c-8a61-0d1b7f1c2e10")


def today() -> date:
    return datetime.now(UTC).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def open_action(pair: Pair, due_in: int, title: str = "Re-train on forms", **extra: Any) -> str:
    body = {
        "title": title,
        "description": "Two forms were signed without the checklist",
        "owner": "pc",
        "due_on": day(due_in),
    } | extra
    return str(ok(pair.pc.post("/corrective-actions", json=body, headers=DIRECTOR), 201)["id"])


def progress(pair: Pair, action_id: str, status: str) -> None:
    body = {"status": status, "evidence": {"text": f"now {status}"}}
    ok(pair.pc.post(f"/corrective-actions/{action_id}/progress", json=body, headers=PHYSICIAN))


def judge(pair: Pair, action_id: str, step: str, note: str = "checked") -> None:
    ok(
        pair.pc.post(
            f"/corrective-actions/{action_id}/{step}", json={"note": note}, headers=DIRECTOR
        )
    )


def protocol(pair: Pair, title: str, review_in: int) -> str:
    body = {
        "title": title,
        "type": "protocol",
        "service_lines": ["sports_clearance"],
        "body": "Auscultate heart and lungs; refer murmurs.",
    }
    protocol_id = str(ok(pair.pc.post("/protocols", json=body, headers=DIRECTOR), 201)["id"])
    approve = {"effective_from": day(0), "review_due": day(review_in)}
    ok(pair.pc.post(f"/protocols/{protocol_id}/versions/1/approve", json=approve, headers=DIRECTOR))
    return protocol_id


def clinician(
    pair: Pair, npi: str, name: str, expiries: dict[str, int]
) -> tuple[str, dict[str, str]]:
    """A registered clinician with a verified credential per kind, expiring in the days given."""
    body = {"npi": npi, "name": name, "role": "physician"}
    clinician_id = str(ok(pair.pc.post("/clinicians", json=body, headers=DIRECTOR), 201)["id"])
    credentials = {}
    for kind, expires_in in expiries.items():
        credential = {
            "kind": kind,
            "number": f"{kind}-{npi}",
            "issuer": "CA MBC",
            "issued_on": "2020-01-01",
            "expires_on": day(expires_in),
        }
        path = f"/clinicians/{clinician_id}/credentials"
        credential_id = str(ok(pair.pc.post(path, json=credential, headers=QUALITY), 201)["id"])
        if expires_in >= 0:
            ok(
                pair.pc.post(
                    f"{path}/{credential_id}/verify", json={"source": "CA DCA"}, headers=DIRECTOR
                )
            )
        credentials[kind] = credential_id
    return clinician_id, credentials


def finding(pair: Pair, clinician_id: str, severities: Iterable[str]) -> list[str]:
    """A chart-review sample with one finding per severity; their `<sample>/<finding>` refs."""
    severities = list(severities)
    charts = [f"CHART-{n}" for n in range(len(severities))]
    body = {
        "clinician_id": clinician_id,
        "period": f"{today():%Y-%m}",
        "service_line": "sports_clearance",
        "chart_refs": charts,
    }
    sample_id = ok(pair.pc.post("/quality/reviews", json=body, headers=QUALITY), 201)["id"]
    references = []
    for chart, severity in zip(charts, severities, strict=True):
        found = {"chart_ref": chart, "severity": severity, "category": "documentation"}
        path = f"/quality/reviews/{sample_id}/findings"
        references.append(
            f"{sample_id}/{ok(pair.pc.post(path, json=found, headers=QUALITY), 201)['id']}"
        )
    return references


def kpi(name: str, value: str | None, target: str, direction: str, **extra: Any) -> KpiValue:
    return KpiValue(
        kpi=name,  # type: ignore[arg-type]
        service_line=extra.get("service_line"),
        value=None if value is None else Decimal(value),
        target=Decimal(target),
        variance=extra.get("variance"),
        direction=direction,  # type: ignore[arg-type]
        sample_size=extra.get("sample_size", 120),
    )


def report(
    month: date, revision: int, kpis: list[KpiValue], report_id: uuid.UUID | None = None
) -> PerformanceReportPublishedV1:
    return PerformanceReportPublishedV1(
        report_id=report_id or uuid.uuid4(),
        month=month,
        revision=revision,
        sites=(SitePerformance(site_id=SITE, site_name="North Campus", kpis=tuple(kpis)),),
        published_at=datetime.now(UTC),
    )


def envelope(message: PerformanceReportPublishedV1, position: int) -> Envelope:
    """The message as MSO Operations publishes it: signed with its key."""
    return signed_envelope(
        MSO_KEY,
        Envelope(
            message_id=uuid.uuid4(),
            type=message.TYPE,
            version=message.VERSION,
            producer="mso-ops",
            position=position,
            occurred_at=datetime.now(UTC),
            correlation_id="report-corr",
            causation_id="report-cause",
            actor=Actor(id="ops-ann", role="mso_admin", org="mso"),
            payload=message.model_dump(mode="json"),
        ),
    )


def deliver_through_feed(pair: Pair, messages: list[PerformanceReportPublishedV1]) -> list[int]:
    """Serve the messages as the MSO's feed (after what PC consumed) and let PC's follower read it."""
    follower = pair.pc_runtime.follower
    start = pair.pc_runtime.application.consumed_position(SUBSCRIPTION) + 10
    envelopes = [envelope(m, start + n) for n, m in enumerate(messages)]
    head = envelopes[-1].position

    def serve(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params["after"])
        page = FeedPage(
            messages=[e for e in envelopes if e.position > after], next_after=head, head=head
        )
        return httpx.Response(200, content=page.model_dump_json())

    real = follower.client
    follower.client = httpx.Client(transport=httpx.MockTransport(serve))
    try:
        follower.catch_up()
    finally:
        follower.client.close()
        follower.client = real
    pair.pc_runtime.projections.catch_up()
    return [e.position for e in envelopes]


def schedule(pair: Pair, period: str, scheduled_for: str) -> str:
    body = {"period": period, "scheduled_for": scheduled_for}
    return str(ok(pair.pc.post("/meetings", json=body, headers=DIRECTOR), 201)["id"])


def assemble(pair: Pair, meeting_id: str, sources: list[str] | None = None) -> list[dict[str, Any]]:
    pair.pc_runtime.projections.catch_up()
    body = {"sources": sources or ALL_SOURCES}
    path = f"/meetings/{meeting_id}/agenda/assemble"
    agenda: list[dict[str, Any]] = ok(pair.pc.post(path, json=body, headers=PHYSICIAN))["agenda"]
    return agenda
