from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from contracts import (
    MESSAGES,
    Actor,
    ContractMessage,
    Envelope,
    FeedPage,
    UnknownMessageError,
    message_model,
    parse_message,
)
from contracts.v1 import (
    AuthorizationApprovedV1,
    AuthorizationDeniedV1,
    AuthorizationReinstatedV1,
    AuthorizationRequestedV1,
    AuthorizationRevokedV1,
    AuthorizationSuspendedV1,
    ChecklistItem,
    DecisionBasis,
    ReadinessEvidence,
)
from contracts.v1.audit_head import AuditHeadPublishedV1
from contracts.v1.audit_readiness import AuditReadinessPublishedV1, ReadinessCategory
from contracts.v1.authorization import MaterialChange, ProForma, ProFormaLine
from contracts.v1.clinical_policy import CodingRulesPublishedV1, RecordsPolicyPublishedV1
from contracts.v1.clinician import ClinicianEligibilityChangedV1
from contracts.v1.corrective_action import (
    CorrectiveActionAssignedV1,
    CorrectiveActionProgressReportedV1,
    CorrectiveActionReopenedV1,
    CorrectiveActionSource,
    CorrectiveActionVerifiedV1,
)
from contracts.v1.coverage import CoverageShortfall, ShiftCoverageJudgedV1
from contracts.v1.msa_fee import (
    FairMarketValueBasis,
    FeeTerms,
    InvoiceLine,
    MsaFeeInvoiceAnsweredV1,
    MsaFeeInvoiceIssuedV1,
    MsaFeeScheduleAnsweredV1,
    MsaFeeScheduleProposedV1,
)
from contracts.v1.performance import KpiValue, PerformanceReportPublishedV1, SitePerformance
from contracts.v1.protocol import ProtocolVersionEffectiveV1, ProtocolVersionEndedV1
from contracts.v1.readiness_standard import (
    ReadinessStandardApprovedV1,
    ReadinessStandardRetiredV1,
    StandardItem,
)
from contracts.v1.site import SiteTimeZoneSetV1
from contracts.v1.supervision import SupervisionAssignment, SupervisionRulesPublishedV1
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
PROTOCOL = uuid4()
SITE = uuid4()
ACTION = uuid4()
TEMPLATE_ID = uuid4()
STANDARD_ID = uuid4()
BASIS = DecisionBasis(kind="meeting_decision", reference="PC board 2025-02")
DECISION: dict[str, Any] = {
    "authorization_id": uuid4(),
    "request_id": uuid4(),
    "decision_id": uuid4(),
    "site_id": SITE,
    "service_line": "dermatology",
    "basis": BASIS,
    "decided_at": NOW,
}

PAYLOADS: list[ContractMessage] = [
    AuthorizationRequestedV1(
        request_id=uuid4(),
        kind="service_line",
        site_id=SITE,
        site_name="Riverside Clinic",
        service_line="dermatology",
        readiness=ReadinessEvidence(
            summary="Staffed and equipped",
            checklist=[ChecklistItem(item="Credentialed staff", met=True, evidence="roster")],
        ),
        requested_at=NOW,
    ),
    AuthorizationApprovedV1(
        **DECISION,
        conditions=["Quarterly audit"],
        protocol_refs=["DERM-001"],
        effective_date=date(2025, 4, 1),
    ),
    AuthorizationDeniedV1(**DECISION, reason="Insufficient staffing"),
    AuthorizationSuspendedV1(**DECISION, reason="Adverse event under review"),
    AuthorizationRevokedV1(**DECISION, reason="Service line closed"),
    AuthorizationReinstatedV1(**DECISION, reason="Supervising physician back"),
    CorrectiveActionAssignedV1(
        action_id=ACTION,
        title="Re-train front desk on consent forms",
        description="Three charts lacked a signed consent",
        assignee="Site manager",
        due_on=date(2025, 4, 15),
        source=CorrectiveActionSource(kind="meeting_decision", reference="GM-2025-03 item 5"),
        assigned_at=NOW,
    ),
    CorrectiveActionVerifiedV1(action_id=ACTION, note="No repeat in April", verified_at=NOW),
    CorrectiveActionReopenedV1(action_id=ACTION, note="Two more gaps", reopened_at=NOW),
    CorrectiveActionProgressReportedV1(
        action_id=ACTION, status="completed", evidence="Training held 4/2", reported_at=NOW
    ),
    ProtocolVersionEffectiveV1(
        protocol_id=PROTOCOL,
        title="Sports clearance",
        type="protocol",
        version=2,
        service_lines=["sports_clearance"],
        site_ids=None,
        effective_from=date(2025, 4, 1),
    ),
    ProtocolVersionEndedV1(
        protocol_id=PROTOCOL,
        title="Sports clearance",
        type="protocol",
        version=1,
        service_lines=["sports_clearance"],
        site_ids=[SITE],
        reason="superseded",
        ended_on=date(2025, 4, 1),
        superseded_by=2,
    ),
    ClinicianEligibilityChangedV1(
        clinician_id=uuid4(),
        name="Dr. Ada Ng",
        role="physician",
        eligible=False,
        reason="credential_expired",
        effective_at=NOW,
    ),
    SupervisionRulesPublishedV1(
        max_apps_per_physician=4,
        chart_review_share_percent=20,
        assignments=[
            SupervisionAssignment(
                assignment_id=uuid4(),
                app_id=uuid4(),
                physician_id=uuid4(),
                effective_from=date(2025, 4, 1),
                effective_to=None,
            )
        ],
        published_at=NOW,
    ),
    PerformanceReportPublishedV1(
        report_id=uuid4(),
        month=date(2026, 10, 1),
        revision=1,
        sites=(
            SitePerformance(
                site_id=uuid4(),
                site_name="North Campus",
                kpis=(
                    KpiValue(
                        kpi="no_show_rate",
                        service_line="sports_clearance",
                        value=Decimal("0.08"),
                        target=Decimal("0.10"),
                        variance=Decimal("-0.02"),
                        direction="lower_is_better",
                        sample_size=250,
                    ),
                ),
            ),
        ),
        published_at=NOW,
    ),
]

# A clinical shift's coverage: a gap opened (with its reasons), and one closed.
PAYLOADS += [
    ShiftCoverageJudgedV1(
        shift_id=uuid4(),
        site_id=SITE,
        day=date(2026, 11, 3),
        start=NOW,
        end=NOW,
        label="Clearance clinic",
        shortfalls=(
            CoverageShortfall(
                reason="app_without_supervisor",
                clinician_id=uuid4(),
                detail="no eligible physician on the shift supervises them on this day",
            ),
        ),
        judged_at=NOW,
    ),
    ShiftCoverageJudgedV1(
        shift_id=uuid4(),
        site_id=SITE,
        day=date(2026, 11, 3),
        start=NOW,
        end=NOW,
        shortfalls=(),
        judged_at=NOW,
    ),
]

# A site's zone set, and removed (its days are UTC's again).
PAYLOADS += [
    SiteTimeZoneSetV1(site_id=SITE, time_zone="America/Los_Angeles", set_at=NOW),
    SiteTimeZoneSetV1(site_id=SITE, time_zone=None, set_at=NOW),
]

# Requests for a site go-live (checklist evidence and pro forma) and a material change:
# the optional fields added within v1.
PAYLOADS += [
    AuthorizationRequestedV1(
        request_id=uuid4(),
        kind="site_go_live",
        site_id=SITE,
        site_name="Riverside Clinic",
        readiness=ReadinessEvidence(
            summary="Ready for the fall season",
            checklist=[
                ChecklistItem(
                    item="lease",
                    met=True,
                    evidence="recorded by ann; document LEASE-7",
                    recorded_by="ann",
                    recorded_at=NOW,
                    document_ref="LEASE-7",
                    note="5-year lease",
                )
            ],
            pro_forma=ProForma(
                lines=[
                    ProFormaLine(
                        service_line="sports_clearance",
                        monthly_visits=120,
                        revenue_per_visit=Decimal("85.00"),
                        variable_cost_per_visit=Decimal("22.50"),
                    )
                ],
                fixed_monthly_cost=Decimal("4200.00"),
                startup_cost=Decimal("18000.00"),
                monthly_revenue=Decimal("10200.00"),
                monthly_variable_cost=Decimal("2700.00"),
                monthly_margin=Decimal("3300.00"),
                payback_months=6,
            ),
        ),
        requested_at=NOW,
    ),
    AuthorizationRequestedV1(
        request_id=uuid4(),
        kind="material_change",
        site_id=SITE,
        site_name="Riverside Clinic",
        readiness=ReadinessEvidence(summary="hours: Mon-Fri 8-17 -> Mon-Sat 8-17"),
        change=MaterialChange(
            aspect="hours",
            proposed="Mon-Sat 8-17",
            previous="Mon-Fri 8-17",
            description="Saturday clinics for the sports season",
        ),
        requested_at=NOW,
    ),
]

# The MSA's two sides: a proposed fee schedule version, the PC's answers to it and to an invoice.
PAYLOADS += [
    MsaFeeScheduleProposedV1(
        schedule_version=2,
        effective_from=date(2025, 3, 1),
        schedule_kind="percentage_of_net_collections",
        terms=FeeTerms(percentage=Decimal("5.5")),
        fmv_basis=FairMarketValueBasis(
            assessed_by="Valuation Partners LLC",
            assessed_on=date(2025, 1, 10),
            document_ref="FMV-2025-01",
        ),
        proposed_at=NOW,
    ),
    MsaFeeScheduleAnsweredV1(
        schedule_version=2,
        effective_from=date(2025, 3, 1),
        answer="declined",
        reason="The FMV opinion predates the new service lines",
        decision_id=uuid4(),
        answered_by="dr-md",
        answered_by_role="medical_director",
        answered_at=NOW,
    ),
    MsaFeeInvoiceAnsweredV1(
        invoice_id=uuid4(),
        month=date(2025, 2, 1),
        revision=1,
        answer="accepted",
        decision_id=uuid4(),
        answered_by="dr-md",
        answered_by_role="medical_director",
        answered_at=NOW,
    ),
]

# The MSA fee invoice: a correction (revision 2) of a hybrid month raised to its floor.
PAYLOADS += [
    MsaFeeInvoiceIssuedV1(
        invoice_id=uuid4(),
        month=date(2025, 2, 1),
        revision=2,
        corrects_invoice_id=uuid4(),
        correction_reason="payments recorded after issue",
        schedule_version=1,
        schedule_kind="hybrid",
        terms=FeeTerms(
            base_amount=Decimal("10000.00"),
            percentage=Decimal("4.5"),
            floor=Decimal("12000.00"),
        ),
        fmv_basis=FairMarketValueBasis(
            assessed_by="Valuation Partners LLC",
            assessed_on=date(2024, 11, 2),
            document_ref="FMV-2024-11",
        ),
        payments=Decimal("12345.67"),
        refunds=Decimal("345.67"),
        net_collections=Decimal("12000.00"),
        lines=(
            InvoiceLine(code="base_fee", description="Base fee", amount=Decimal("10000.00")),
            InvoiceLine(
                code="percentage_of_net_collections",
                description="4.5% of net collections of 12000.00",
                amount=Decimal("540.00"),
            ),
            InvoiceLine(
                code="floor_adjustment",
                description="Raised to the floor of 12000.00",
                amount=Decimal("1460.00"),
            ),
        ),
        fee=Decimal("12000.00"),
        issued_at=NOW,
    ),
    VisitTemplateApprovedV1(
        template_id=TEMPLATE_ID,
        version=2,
        name="Sports clearance, one NP",
        service_line="sports_clearance",
        site_ids=None,
        clinician_roles=["np", "pa"],
        visit_minutes=20,
        max_patients_per_clinician_hour=3,
        max_clinician_hours_per_day=8,
        effective_from=date(2025, 4, 1),
        decision_id=uuid4(),
        basis=DecisionBasis(kind="medical_director_act", reference="MD-ACT-2025-007"),
        approved_at=NOW,
    ),
    VisitTemplateRetiredV1(
        template_id=TEMPLATE_ID,
        version=2,
        name="Sports clearance, one NP",
        service_line="sports_clearance",
        site_ids=[uuid4()],
        reason="Replaced by the campus event template",
        ended_on=date(2025, 9, 1),
        decision_id=uuid4(),
        retired_at=NOW,
    ),
    ReadinessStandardApprovedV1(
        standard_id=STANDARD_ID,
        version=2,
        kind="service_line",
        service_line="sports_clearance",
        items=[StandardItem(key="lease", text="Lease signed", evidence_required=True)],
        decision_id=uuid4(),
        basis=BASIS,
        approved_at=NOW,
    ),
    ReadinessStandardRetiredV1(
        standard_id=STANDARD_ID,
        version=2,
        kind="site_go_live",
        reason="Replaced by the county standard",
        decision_id=uuid4(),
        retired_at=NOW,
    ),
]


def envelope_for(message: ContractMessage, **overrides: Any) -> Envelope:
    fields: dict[str, Any] = {
        "message_id": uuid4(),
        "type": message.TYPE,
        "version": message.VERSION,
        "producer": "mso-ops",
        "position": 1,
        "occurred_at": NOW,
        "correlation_id": "corr-1",
        "causation_id": "cmd-1",
        "actor": Actor(id="user-1", role="operations_manager", org="mso"),
        "payload": message.model_dump(mode="json"),
    }
    return Envelope(**(fields | overrides))


TEMPLATE_FIELDS = PAYLOADS[-2].model_dump()

_POLICY_VERSION = {
    "version": 1,
    "effective_from": date(2025, 4, 1),
    "ended_on": None,
    "decision_id": uuid4(),
    "basis": BASIS,
    "approved_at": NOW,
}
_DECIDED = {"decision_id": uuid4(), "decided": "approved", "decided_at": NOW}
PAYLOADS += [
    CodingRulesPublishedV1.model_validate(
        {
            "document_id": uuid4(),
            "name": "Sports clearance coding",
            "service_line": "sports_clearance",
            "versions": [
                _POLICY_VERSION
                | {"codes": [{"code": "99394", "description": "Preventive", "fee_cents": 15000}]}
            ],
            **_DECIDED,
        }
    ),
    RecordsPolicyPublishedV1.model_validate(
        {
            "document_id": uuid4(),
            "name": "Medical-records policy",
            "versions": [
                _POLICY_VERSION
                | {
                    "retention": [{"record_type": "adult chart", "retention_years": 7}],
                    "release": [
                        {"recipient": "patient", "authorization": "photo ID", "turnaround_days": 30}
                    ],
                }
            ],
            **_DECIDED,
        }
    ),
]
PAYLOADS += [
    AuditHeadPublishedV1(
        service="pc-governance",
        position=42,
        link="ab" * 32,
        sealed_at="2025-03-01T09:30:00+00:00",
        algorithm="Ed25519",
        public_key="A" * 43 + "=",
        signature="B" * 86 + "==",
    ),
    AuditReadinessPublishedV1(
        month=date(2025, 2, 1),
        revision=1,
        as_of=date(2025, 2, 28),
        required=7,
        current=5,
        categories=[ReadinessCategory(category="meetings", required=2, current=1)],
        published_at=datetime(2025, 3, 1, 9, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("clinician_roles", []),
        ("clinician_roles", ["scribe"]),
        ("visit_minutes", 4),
        ("max_patients_per_clinician_hour", 0),
        ("max_clinician_hours_per_day", 25),
    ],
)
def test_visit_template_refuses_limits_outside_their_range(field: str, value: object) -> None:
    with pytest.raises(ValidationError, match=field):
        VisitTemplateApprovedV1.model_validate(TEMPLATE_FIELDS | {field: value})


def test_every_registered_message_is_covered() -> None:
    assert {(p.TYPE, p.VERSION) for p in PAYLOADS} == set(MESSAGES)


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.TYPE)
def test_envelope_round_trips_through_json(payload: ContractMessage) -> None:
    envelope = envelope_for(payload)
    received = Envelope.model_validate_json(envelope.model_dump_json())
    assert received == envelope
    assert parse_message(received) == payload
    assert received.typed_payload() == payload
    assert type(received.typed_payload()) is message_model(payload.TYPE, payload.VERSION)


def test_feed_page_round_trips_through_json() -> None:
    page = FeedPage(messages=[envelope_for(p) for p in PAYLOADS], next_after=5, head=9)
    assert FeedPage.model_validate_json(page.model_dump_json()) == page


def test_unknown_fields_are_ignored() -> None:
    payload = PAYLOADS[2]
    raw = envelope_for(payload).model_dump(mode="json")
    raw["trace_id"] = "abc"
    raw["actor"]["department"] = "ops"
    raw["payload"]["severity"] = "high"
    raw["payload"]["basis"]["signed_by"] = "medical director"
    received = Envelope.model_validate(raw)
    assert "trace_id" not in received.model_dump()
    assert received.typed_payload() == payload


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        envelope_for(PAYLOADS[2], occurred_at=datetime(2025, 3, 1, 9, 30))
    raw = PAYLOADS[2].model_dump(mode="json") | {"decided_at": "2025-03-01T09:30:00"}
    with pytest.raises(ValidationError, match="timezone"):
        parse_message(envelope_for(PAYLOADS[2], payload=raw))


def test_unknown_message_type_or_version_is_rejected() -> None:
    with pytest.raises(UnknownMessageError):
        message_model("authorization.requested", 99)
    with pytest.raises(UnknownMessageError):
        message_model("authorization.teleported", 1)
    envelope = envelope_for(PAYLOADS[0], version=2)
    with pytest.raises(UnknownMessageError, match=r"authorization\.requested"):
        envelope.typed_payload()
    assert issubclass(UnknownMessageError, LookupError)


def test_payload_that_does_not_match_its_type_is_rejected() -> None:
    envelope = envelope_for(PAYLOADS[2], type="authorization.approved")
    with pytest.raises(ValidationError):
        envelope.typed_payload()


def test_envelope_is_immutable() -> None:
    envelope = envelope_for(PAYLOADS[0])
    with pytest.raises(ValidationError):
        envelope.position = 2  # type: ignore[misc]


aware_datetimes = st.datetimes(
    timezones=st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
)
approved_payloads = st.builds(
    AuthorizationApprovedV1,
    authorization_id=st.uuids(),
    request_id=st.uuids(),
    decision_id=st.uuids(),
    site_id=st.uuids(),
    service_line=st.none() | st.text(max_size=64),
    conditions=st.lists(st.text(max_size=1000), max_size=50),
    protocol_refs=st.lists(st.text(max_size=200), max_size=50),
    effective_date=st.dates(),
    basis=st.builds(
        DecisionBasis,
        kind=st.sampled_from(["meeting_decision", "medical_director_act"]),
        reference=st.text(min_size=1, max_size=200),
    ),
    decided_at=aware_datetimes,
)


@given(approved_payloads)
def test_approved_payload_survives_json(payload: AuthorizationApprovedV1) -> None:
    assert AuthorizationApprovedV1.model_validate_json(payload.model_dump_json()) == payload


@given(approved_payloads)
def test_approved_payload_survives_an_envelope(payload: AuthorizationApprovedV1) -> None:
    envelope = envelope_for(payload)
    received = Envelope.model_validate_json(envelope.model_dump_json())
    assert received.typed_payload() == payload
