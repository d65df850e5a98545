"""What audit readiness reads: the required governance items as the read models hold them.

Each list is in log order and holds only the columns the figure is judged on: every
protocol with a standing version (a review date), every adjourned meeting (and the
period of the first meeting scheduled), every credential on file, every corrective action. Which of them count as of a day, and
whether each is current, is the application's rule (application/audit_readiness.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from mhg.read_models import in_log_order
from mhg.readstore import ReadStore


@dataclass(frozen=True)
class RequiredRecords:
    """Rows with attribute access (`row.title`), one list per kind of required item."""

    protocols: Sequence[Any]  # id, title, review_due
    meetings: Sequence[Any]  # id, period, adjourned_at, minutes_approved_at
    credentials: Sequence[Any]  # id, clinician_name, kind, expires_on, verified_on
    corrective_actions: Sequence[Any]  # id, title, due_on, opened_at, completed_at
    first_period: str | None = None  # of the PC's first scheduled meeting: the calendar's start


def required_records(store: ReadStore) -> RequiredRecords:
    """The four kinds of required item, read on one connection."""
    tables = store.metadata.tables
    protocols = tables["pc_protocols"]
    meetings = tables["pc_meetings"]
    with store.reader.connect() as conn:
        return RequiredRecords(
            protocols=conn.execute(
                in_log_order(protocols, "id", "title", "review_due").where(
                    protocols.c.review_due.is_not(None)
                )
            ).all(),
            meetings=conn.execute(
                in_log_order(meetings, "id", "period", "adjourned_at", "minutes_approved_at").where(
                    meetings.c.adjourned_at.is_not(None)
                )
            ).all(),
            credentials=conn.execute(
                in_log_order(
                    tables["pc_credentials"],
                    *("id", "clinician_name", "kind", "expires_on", "verified_on"),
                )
            ).all(),
            corrective_actions=conn.execute(
                in_log_order(
                    tables["pc_corrective_actions"],
                    *("id", "title", "due_on", "opened_at", "completed_at"),
                )
            ).all(),
            first_period=conn.execute(select(func.min(meetings.c.period))).scalar(),
        )
