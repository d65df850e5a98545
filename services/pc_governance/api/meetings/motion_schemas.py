"""Request bodies inside a governance meeting (dispositions, motions, votes, minutes)
and the decision log's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import MAX_COUNT
from services.pc_governance.api.meetings.schemas import (
    MinutesText,
    MotionText,
    Note,
    Period,
    PersonId,
)
from services.pc_governance.api.schemas import Strict, SubjectIn, with_example


class DispositionIn(Strict):
    model_config = with_example(
        disposition="decided",
        decision_id="5e8d3a2b-6c4f-4d1e-9f7a-3b2c1d0e9f8a",
        note="Approved 5-0 with the supervision condition",
    )
    disposition: Literal["decided", "deferred", "noted"]
    decision_id: UUID | None = Field(default=None, description="For decided: the decision")
    deferred_to: Period | None = Field(default=None, description="For deferred: a later month")
    note: Note | None = None


class MotionIn(Strict):
    model_config = with_example(
        agenda_item_id="1f6b8d3e-2a4c-4e7f-8d9a-6b5c4d3e2f1a",
        text="Approve the sports clearance service line at the Eastside HS site, "
        "effective 2027-01-04, under sports-clearance-protocol v3",
        moved_by="clin-0042",
    )
    agenda_item_id: UUID
    text: MotionText
    moved_by: PersonId = Field(description="The attendee who moves it")
    subject: SubjectIn | None = Field(
        default=None,
        description=(
            "The one item the motion decides; by default the item an authorization-request "
            "or visit-template-draft agenda item names. Without a subject a carried motion "
            "cannot be the basis of a decision on an item"
        ),
    )


class VoteIn(Strict):
    model_config = with_example(voter="clin-0017", choice="for")
    voter: PersonId
    choice: Literal["for", "against", "abstain"]


class MinutesIn(Strict):
    model_config = with_example(
        text="Called to order at 18:02 by the Medical Director; quorum present "
        "(5 of 6).\n"
        "Item 1: Eastside HS sports clearance approved 5-0.\n"
        "Item 2: credential renewals noted.\n"
        "Adjourned at 19:10."
    )
    text: MinutesText


class ApproveMinutesIn(Strict):
    model_config = with_example(revision=2)
    revision: int = Field(ge=1, le=MAX_COUNT, description="The draft revision you read and approve")


class AmendmentIn(Strict):
    model_config = with_example(
        text="Item 1: Eastside HS sports clearance approved 4-0, one abstention.",
        reason="The vote tally was recorded wrongly",
    )
    text: MinutesText
    reason: Note


class DecisionRow(BaseModel):
    decision_id: UUID
    meeting_id: UUID
    period: str
    motion_id: UUID
    text: str
    agenda_item_id: UUID
    agenda_item_kind: str
    agenda_item_reference: str
    decided_at: datetime
    decided_by: str
