"""Review samples, quality scores per clinician, service line and period, corrective actions;
what their lists may select (SAMPLES, SCORES, `corrective_actions`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    and_,
    not_,
    select,
    update,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, above, below, equal_columns, equals, matching
from mhg.projection import Handler, Projection
from mhg.projection_rows import from_event, insert_on, parts_of, set_on_row, update_row
from mhg.read_models import aggregate_columns, projection_over, required, required_indexed
from services.pc_governance.domain.corrective_action import NOT_DONE, CorrectiveAction
from services.pc_governance.domain.quality import SERIOUS, ReviewSample, score_of


def define(metadata: MetaData) -> None:
    Table(
        "pc_review_samples",
        metadata,
        *aggregate_columns(),
        *required_indexed(
            clinician_id=Uuid, period=String(7), service_line=String(64), status=String(20)
        ),
        *required(
            chart_count=Integer,
            finding_count=Integer,
            serious_finding_count=Integer,
            opened_at=UTCDateTime,
        ),
        Column("completed_at", UTCDateTime),
        Column("charts_clear", Integer),
        Column("score", Float),
    )
    Table(
        "pc_quality_scores",
        metadata,
        Column("position", BigInteger, primary_key=True, autoincrement=False),
        *required_indexed(period=String(7), clinician_id=Uuid, service_line=String(64)),
        *required(samples=Integer, charts_reviewed=Integer, charts_clear=Integer, score=Float),
        UniqueConstraint("period", "clinician_id", "service_line"),
    )
    Table(
        "pc_corrective_actions",
        metadata,
        *aggregate_columns(),
        Column("title", String(200), nullable=False),
        Column("owner", String(10), nullable=False, index=True),
        Column("assignee", String(200)),
        *required_indexed(status=String(20), due_on=Date),
        Column("source_kind", String(30)),
        Column("source_reference", String(200)),
        Column("opened_at", UTCDateTime, nullable=False),
        Column("completed_at", UTCDateTime),
        Column("last_judged_at", UTCDateTime),
        *required(evidence_count=Integer, reopen_count=Integer),
    )


def _review_handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    samples = metadata.tables["pc_review_samples"]
    scores = metadata.tables["pc_quality_scores"]

    opened = insert_on(
        samples,
        *("clinician_id", "period", "service_line", "opened_at"),
        status="open",
        chart_count=from_event("chart_refs", len),
        finding_count=0,
        serious_finding_count=0,
    )

    def finding_recorded(conn: Connection, event: Any, _position: int) -> None:
        serious = 1 if event.severity in SERIOUS else 0
        update_row(
            conn,
            samples,
            event,
            finding_count=samples.c.finding_count + 1,
            serious_finding_count=samples.c.serious_finding_count + serious,
        )

    def completed(conn: Connection, event: Any, position: int) -> None:
        update_row(
            conn,
            samples,
            event,
            status="completed",
            completed_at=event.completed_at,
            charts_clear=event.charts_clear,
            score=float(event.score),
        )
        _add_to_score(conn, scores, event, position)

    return {
        ReviewSample.Opened: opened,
        ReviewSample.FindingRecorded: finding_recorded,
        ReviewSample.Completed: completed,
    }


def _add_to_score(conn: Connection, scores: Table, event: Any, position: int) -> None:
    """Fold a completed sample into its clinician's score for the service line and period."""
    key = (
        (scores.c.period == event.subject["period"])
        & (scores.c.clinician_id == event.subject["clinician_id"])
        & (scores.c.service_line == event.subject["service_line"])
    )
    row = conn.execute(select(scores).where(key)).first()
    if row is None:
        conn.execute(
            scores.insert().values(
                position=position,
                samples=1,
                charts_reviewed=event.charts_total,
                charts_clear=event.charts_clear,
                score=float(event.score),
                **event.subject,
            )
        )
        return
    reviewed = row.charts_reviewed + event.charts_total
    clear = row.charts_clear + event.charts_clear
    conn.execute(
        update(scores)
        .where(key)
        .values(
            samples=row.samples + 1,
            charts_reviewed=reviewed,
            charts_clear=clear,
            score=float(score_of(clear, reviewed)),
        )
    )


def _action_handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    actions = metadata.tables["pc_corrective_actions"]
    one_more = actions.c.evidence_count + 1

    opened = insert_on(
        actions,
        *("title", "owner", "assignee", "due_on", "opened_at"),
        status="open",
        **parts_of("source", "kind", "reference"),
        evidence_count=0,
        reopen_count=0,
    )

    def progress(conn: Connection, event: Any, _position: int) -> None:
        done = {"completed_at": event.evidence["added_at"]} if event.status == "completed" else {}
        update_row(conn, actions, event, status=event.status, evidence_count=one_more, **done)

    verified = set_on_row(actions, status="verified", last_judged_at=from_event("judged_at"))
    reopened = set_on_row(
        actions,
        status="in_progress",
        completed_at=None,
        last_judged_at=from_event("judged_at"),
        reopen_count=actions.c.reopen_count + 1,
    )

    return {
        CorrectiveAction.Opened: opened,
        CorrectiveAction.ProgressReported: progress,
        CorrectiveAction.EvidenceAdded: set_on_row(actions, evidence_count=one_more),
        CorrectiveAction.Verified: verified,
        CorrectiveAction.MsoActionVerified: verified,
        CorrectiveAction.Reopened: reopened,
        CorrectiveAction.MsoActionReopened: reopened,
    }


def projection(metadata: MetaData) -> Projection:
    return projection_over(
        metadata,
        "pc_quality",
        ("pc_review_samples", "pc_quality_scores", "pc_corrective_actions"),
        _review_handlers(metadata),
        _action_handlers(metadata),
    )


# a sample and a score are each of one clinician, service line and period
SUBJECT = {"period": equals(), "clinician_id": equals(), "service_line": equals()}
SAMPLES = Selection("pc_review_samples", **SUBJECT, status=equals())
SCORES = Selection("pc_quality_scores", **SUBJECT)


def corrective_actions(today: Callable[[], date]) -> Selection:
    """What the corrective action list may select; `overdue` (past due and not done, or
    not) is judged on `today()`, read as the list is asked for: the caller's clock."""

    def overdue(table: Table, wanted: bool) -> ColumnElement[bool]:
        late = and_(table.c.due_on < today(), table.c.status.in_(sorted(NOT_DONE)))
        return late if wanted else not_(late)

    return Selection(
        "pc_corrective_actions",
        **equal_columns("owner", "status"),
        overdue=matching(overdue),
        due_before=below("due_on"),
        due_after=above("due_on"),
    )
