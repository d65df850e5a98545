"""Where a governance meeting's agenda comes from: one small reader per open-item source.

Each source reads a read model and returns (kind, reference, title) candidates; the
meeting adds those not on its agenda yet. The reference is the id of the source item
(an authorization, corrective action, protocol, credential, `<sample>/<finding>`,
performance report, `<template>/<version>` of a visit-template draft, or the `YYYY-MM` of a
past month without a held meeting), so every item's disposition can be traced back to what raised it.
Items are judged as of the meeting day (or today, if later): due before the next
monthly meeting, or overdue; credentials inside the 90/60/30-day alert windows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Connection

from mhg.read_models import in_log_order
from mhg.readstore import ReadStore
from services.pc_governance.domain.audit_readiness import calendar_months
from services.pc_governance.projections.chart_review import chart_review_shortfalls
from services.pc_governance.projections.coverage_gaps import open_coverage_gaps

Candidate = tuple[str, str, str]
Source = Callable[[Connection, MetaData, date], list[Candidate]]

UNTIL_NEXT_MEETING = timedelta(days=31)
# days left below the bound -> the credential alert (the 90/60/30-day alerts)
CREDENTIAL_ALERTS = ((0, "expired"), (31, "expires within 30 days"), (61, "expires within 60 days"))
CREDENTIAL_WINDOW = 90
MAX_LISTED_VARIANCES = 15


def today() -> date:
    return datetime.now(UTC).date()


def reference_day(meeting_day: datetime, today: date) -> date:
    """The day open items are judged on: the meeting's, or today if the meeting is past."""
    return max(meeting_day.date(), today)


def pending_authorization_requests(conn: Connection, md: MetaData, _as_of: date) -> list[Candidate]:
    table = md.tables["pc_authorizations"]
    rows = conn.execute(
        in_log_order(table, "id", "kind", "site_name", "service_line").where(
            table.c.status == "pending"
        )
    )
    return [
        (
            "authorization_request",
            str(row.id),
            f"Authorization request ({row.kind}): {row.site_name}"
            + (f", {row.service_line}" if row.service_line else ""),
        )
        for row in rows
    ]


def visit_template_drafts(conn: Connection, md: MetaData, _as_of: date) -> list[Candidate]:
    """Draft versions awaiting the Medical Director's approval (none once a template retires).

    The reference names the version, so the next draft is a new item after one is decided.
    """
    table = md.tables["pc_visit_templates"]
    rows = conn.execute(
        in_log_order(table, "id", "name", "service_line", "latest_version").where(
            table.c.latest_status == "draft", table.c.status != "retired"
        )
    )
    return [
        (
            "visit_template_draft",
            f"{row.id}/{row.latest_version}",
            f"Visit template awaiting approval: {row.name} ({row.service_line}) "
            f"v{row.latest_version}",
        )
        for row in rows
    ]


def corrective_actions_due(conn: Connection, md: MetaData, as_of: date) -> list[Candidate]:
    """Not done and due before the next meeting (or overdue); done and awaiting verification."""
    table = md.tables["pc_corrective_actions"]
    due = table.c.status.in_(("open", "in_progress")) & (
        table.c.due_on <= as_of + UNTIL_NEXT_MEETING
    )
    rows = conn.execute(
        in_log_order(table, "id", "title", "owner", "status", "due_on").where(
            due | (table.c.status == "completed")
        )
    )
    candidates = []
    for row in rows:
        if row.status == "completed":
            state = "completed, awaiting verification of effect"
        elif row.due_on < as_of:
            state = f"overdue since {row.due_on}"
        else:
            state = f"due {row.due_on}"
        candidates.append(
            (
                "corrective_action",
                str(row.id),
                f"Corrective action ({row.owner}), {state}: {row.title}",
            )
        )
    return candidates


def protocols_due_for_review(conn: Connection, md: MetaData, as_of: date) -> list[Candidate]:
    table = md.tables["pc_protocols"]
    rows = conn.execute(
        in_log_order(table, "id", "title", "standing_version", "review_due").where(
            table.c.standing_version.is_not(None),
            table.c.review_due <= as_of + UNTIL_NEXT_MEETING,
        )
    )
    return [
        (
            "protocol_review",
            str(row.id),
            f"Protocol review {'overdue since' if row.review_due < as_of else 'due'} "
            f"{row.review_due}: {row.title} v{row.standing_version}",
        )
        for row in rows
    ]


def credential_alert(expires_on: date, as_of: date) -> str:
    days_left = (expires_on - as_of).days
    return next(
        (name for bound, name in CREDENTIAL_ALERTS if days_left < bound),
        "expires within 90 days",
    )


def credentials_expiring(conn: Connection, md: MetaData, as_of: date) -> list[Candidate]:
    table = md.tables["pc_credentials"]
    rows = conn.execute(
        in_log_order(table, "id", "clinician_name", "kind", "expires_on").where(
            table.c.expires_on <= as_of + timedelta(days=CREDENTIAL_WINDOW)
        )
    )
    return [
        (
            "credential_expiring",
            str(row.id),
            f"Credential {credential_alert(row.expires_on, as_of)}: {row.kind} of "
            f"{row.clinician_name} (expires {row.expires_on})",
        )
        for row in rows
    ]


def open_quality_findings(conn: Connection, md: MetaData, _as_of: date) -> list[Candidate]:
    """Serious findings that no corrective action names as its source yet."""
    findings, samples = md.tables["pc_serious_findings"], md.tables["pc_review_samples"]
    actions = md.tables["pc_corrective_actions"]
    answered = select(actions.c.source_reference).where(
        actions.c.source_kind == "finding", actions.c.source_reference.is_not(None)
    )
    rows = conn.execute(
        select(
            findings.c.reference,
            findings.c.severity,
            findings.c.category,
            samples.c.period,
            samples.c.service_line,
        )
        .select_from(findings.outerjoin(samples, samples.c.id == findings.c.sample_id))
        .where(findings.c.reference.not_in(answered))
        .order_by(findings.c.position)
    )
    return [
        (
            "quality_finding",
            row.reference,
            f"Quality finding without a corrective action: {row.severity} "
            f"({row.category.replace('_', ' ')})"
            + (f", chart review {row.period} {row.service_line}" if row.period else ""),
        )
        for row in rows
    ]


def latest_performance_report(conn: Connection, md: MetaData, _as_of: date) -> list[Candidate]:
    """The newest month's report, listing the KPIs whose variance is unfavourable."""
    table = md.tables["pc_performance_reports"]
    row = conn.execute(select(table).order_by(table.c.month.desc()).limit(1)).first()
    if row is None:
        return []
    return [("performance_report", str(row.report_id), report_title(dict(row._mapping)))]


def report_title(data: Mapping[str, Any]) -> str:
    head = f"MSO performance report {data['month']} (revision {data['revision']})"
    listed = data["unfavourable"]
    if not listed:
        return f"{head}: no unfavourable variances"
    parts = [
        f"{v['site_name']} {v['kpi']}"
        + (f" ({v['service_line']})" if v["service_line"] else "")
        + f" {v['value']} vs target {v['target']}"
        for v in listed[:MAX_LISTED_VARIANCES]
    ]
    more = len(listed) - MAX_LISTED_VARIANCES
    return (
        f"{head}: {len(listed)} unfavourable variance(s): "
        + "; ".join(parts)
        + (f"; and {more} more" if more > 0 else "")
    )


def months_without_meeting(conn: Connection, md: MetaData, as_of: date) -> list[Candidate]:
    """Each month ended (from the first meeting the PC scheduled) with no meeting held for it:
    each counts against audit readiness (domain/audit_readiness.py)."""
    table = md.tables["pc_meetings"]
    first = conn.execute(select(func.min(table.c.period))).scalar()
    held = set(
        conn.execute(select(table.c.period).where(table.c.adjourned_at.is_not(None))).scalars()
    )
    return [
        (
            "month_without_meeting",
            month,
            f"No governance meeting was held for {month}: it counts against audit readiness",
        )
        for month in calendar_months(first, as_of)
        if month not in held
    ]


SOURCES: dict[str, Source] = {
    "authorization_request": pending_authorization_requests,
    "visit_template_draft": visit_template_drafts,
    "corrective_action": corrective_actions_due,
    "protocol_review": protocols_due_for_review,
    "credential_expiring": credentials_expiring,
    "quality_finding": open_quality_findings,
    "performance_report": latest_performance_report,
    "coverage_gap": open_coverage_gaps,
    "chart_review_shortfall": chart_review_shortfalls,
    "month_without_meeting": months_without_meeting,
}


def open_items(
    store: ReadStore, as_of: date, kinds: tuple[str, ...] = tuple(SOURCES)
) -> list[Candidate]:
    """Every open item of the chosen sources, source by source, each in log order (read on
    one connection)."""
    with store.reader.connect() as conn:
        return [c for kind in kinds for c in SOURCES[kind](conn, store.metadata, as_of)]
