"""Governance meetings by period and status, and the decision log across meetings.

A meeting row keeps when its minutes were approved, for audit readiness (minutes
approved on time). MEETINGS and DECISIONS are what the two lists may select.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Text, Uuid, select
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals
from mhg.projection import Handler, Projection
from mhg.projection_rows import ACTOR, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, log_position, required, required_indexed
from mhg.readstore import ReadStore
from services.pc_governance.domain.meeting import Meeting


def define(metadata: MetaData) -> None:
    Table(
        "pc_meetings",
        metadata,
        *aggregate_columns(),
        Column("period", String(7), nullable=False, index=True),
        *required(scheduled_for=UTCDateTime, chair=String(200)),
        Column("status", String(20), nullable=False, index=True),
        Column("opened_at", UTCDateTime),
        Column("adjourned_at", UTCDateTime),
        Column("closed_at", UTCDateTime),
        Column("minutes_approved_at", UTCDateTime),
    )
    Table(
        "pc_meeting_decisions",
        metadata,
        Column("decision_id", Uuid, primary_key=True),
        log_position(),
        *required_indexed(meeting_id=Uuid, period=String(7)),
        *required(motion_id=Uuid, text=Text, agenda_item_id=Uuid),
        Column("agenda_item_kind", String(40), nullable=False, index=True),
        *required(
            agenda_item_reference=String(200), decided_at=UTCDateTime, decided_by=String(200)
        ),
    )


def projection(metadata: MetaData) -> Projection:
    meetings = metadata.tables["pc_meetings"]
    decisions = metadata.tables["pc_meeting_decisions"]

    scheduled = insert_on(meetings, "period", "scheduled_for", chair=ACTOR, status="scheduled")

    def moved_to(status: str, stamp: str) -> Handler:
        """A step of the meeting: the status it leads to, and when it happened."""
        return set_on_row(meetings, status=status, **{stamp: from_event("at")})

    def carried(conn: Connection, event: Any, position: int) -> None:
        subject = event.subject
        conn.execute(
            decisions.insert().values(
                decision_id=event.decision_id,
                position=position,
                meeting_id=event.originator_id,
                period=subject["period"],
                motion_id=event.motion_id,
                text=subject["text"],
                agenda_item_id=UUID(subject["item_id"]),
                agenda_item_kind=subject["item_kind"],
                agenda_item_reference=subject["item_reference"],
                decided_at=event.decided_at,
                decided_by=event.meta.actor_id,
            )
        )

    return Projection(
        name="pc_meetings",
        tables=[meetings, decisions],
        handlers={
            Meeting.Scheduled: scheduled,
            Meeting.Opened: moved_to("in_session", "opened_at"),
            Meeting.Adjourned: moved_to("adjourned", "adjourned_at"),
            Meeting.Closed: moved_to("closed", "closed_at"),
            Meeting.MinutesApproved: set_on_row(meetings, minutes_approved_at=from_event("at")),
            Meeting.MotionCarried: carried,
        },
    )


MEETINGS = Selection("pc_meetings", period=equals(), status=equals())
DECISIONS = Selection(
    "pc_meeting_decisions", period=equals(), agenda_item_kind=equals(), meeting_id=equals()
)


def meeting_of_decision(store: ReadStore, decision_id: UUID) -> UUID | None:
    """The meeting whose decision log holds a decision id."""
    table = store.metadata.tables["pc_meeting_decisions"]
    query = select(table.c.meeting_id).where(table.c.decision_id == decision_id)
    with store.reader.connect() as conn:
        found: UUID | None = conn.execute(query).scalar()
    return found
