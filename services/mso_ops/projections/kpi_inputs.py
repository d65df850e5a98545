"""The inputs of the KPI projection: what its handlers call, inside its transaction.

`add_count` adds to a month's count (or amount in cents), `record_duration` keeps a
subject's duration in the month it ended, `record_level` records a level from a month
on. Subjects remember what later events about them need: their site, service line and
month, when their duration started, an amount, and which steps were counted already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, Select, select, update
from sqlalchemy.engine import Connection

from services.mso_ops.projections.kpi_facts import month_of


@dataclass
class Subject:
    id: UUID
    site_id: UUID
    service_line: str
    month: date
    started_at: datetime | None
    cents: int | None
    marks: str

    @property
    def key(self) -> tuple[UUID, str, date]:
        """Where the subject's counts go: its site, service line and month."""
        return self.site_id, self.service_line, self.month


class KpiInputs:
    """The inputs of the KPI projection, over its tables, inside the projection's transaction."""

    def __init__(self, metadata: MetaData) -> None:
        tables = metadata.tables
        self.subjects = tables["mso_kpi_subjects"]
        self.counts = tables["mso_kpi_counts"]
        self.durations = tables["mso_kpi_durations"]
        self.series = tables["mso_kpi_level_series"]
        self.levels = tables["mso_kpi_levels"]

    def register_subject(
        self,
        conn: Connection,
        subject_id: UUID,
        site_id: UUID,
        service_line: str,
        month: date,
        started_at: datetime | None = None,
        cents: int | None = None,
    ) -> None:
        conn.execute(
            self.subjects.insert().values(
                id=subject_id,
                site_id=site_id,
                service_line=service_line,
                month=month,
                started_at=started_at,
                cents=cents,
                marks="",
            )
        )

    def move_subject(self, conn: Connection, subject_id: UUID, month: date) -> None:
        conn.execute(
            update(self.subjects).where(self.subjects.c.id == subject_id).values(month=month)
        )

    def subject(self, conn: Connection, subject_id: UUID) -> Subject | None:
        c = self.subjects.c
        row = conn.execute(
            select(c.site_id, c.service_line, c.month, c.started_at, c.cents, c.marks).where(
                c.id == subject_id
            )
        ).first()
        return None if row is None else Subject(subject_id, *row)

    def mark(self, conn: Connection, subject: Subject, step: str) -> bool:
        """Mark a step of the subject as counted: True the first time, False after."""
        if step in subject.marks.split():
            return False
        marks = f"{subject.marks} {step}".strip()
        conn.execute(
            update(self.subjects).where(self.subjects.c.id == subject.id).values(marks=marks)
        )
        subject.marks = marks
        return True

    def add_count(
        self,
        conn: Connection,
        fact: str,
        site_id: UUID,
        service_line: str,
        month: date,
        amount: int = 1,
    ) -> None:
        """Add to a month's count (or amount in cents)."""
        key = {"fact": fact, "site_id": site_id, "service_line": service_line, "month": month}
        c = self.counts.c
        changed = conn.execute(
            update(self.counts)
            .where(*(c[name] == value for name, value in key.items()))
            .values(total=c.total + amount)
        ).rowcount
        if not changed:
            conn.execute(self.counts.insert().values(total=amount, **key))

    def record_duration(
        self,
        conn: Connection,
        fact: str,
        subject_id: UUID,
        site_id: UUID,
        service_line: str,
        ended: datetime | date,
        seconds: int,
    ) -> None:
        """A subject's duration, counted in the month it ended; recording again replaces it."""
        c = self.durations.c
        conn.execute(self.durations.delete().where(c.fact == fact, c.subject_id == subject_id))
        conn.execute(
            self.durations.insert().values(
                fact=fact,
                subject_id=subject_id,
                site_id=site_id,
                service_line=service_line,
                month=month_of(ended),
                seconds=seconds,
            )
        )

    def record_level(
        self,
        conn: Connection,
        fact: str,
        site_id: UUID,
        service_line: str,
        month: date,
        numerator: int,
        denominator: int = 0,
        flag: bool = False,
    ) -> None:
        """The level from this month on, until another is recorded."""
        key = {"fact": fact, "site_id": site_id, "service_line": service_line}
        if self.latest_level(conn, fact, site_id, service_line, month) is None:
            exists = conn.execute(
                select(self.series.c.fact).where(
                    *(self.series.c[name] == value for name, value in key.items())
                )
            ).first()
            if exists is None:
                conn.execute(self.series.insert().values(**key))
        c = self.levels.c
        conn.execute(
            self.levels.delete().where(
                *(c[name] == value for name, value in key.items()), c.month == month
            )
        )
        conn.execute(
            self.levels.insert().values(
                month=month, numerator=numerator, denominator=denominator, flag=flag, **key
            )
        )

    def counts_in(self, month: date) -> Select[Any]:
        """A month's counts: a range of the (month, site) index."""
        c = self.counts.c
        return select(c.site_id, c.service_line, c.fact, c.total).where(c.month == month)

    def durations_in(self, month: date) -> Select[Any]:
        """A month's durations, in order: a range of the (month, site, fact, seconds) index."""
        c = self.durations.c
        return (
            select(c.site_id, c.service_line, c.fact, c.seconds)
            .where(c.month == month)
            .order_by(c.site_id, c.fact, c.seconds)
        )

    def level_probe(self, fact: str, site_id: UUID, service_line: str, month: date) -> Select[Any]:
        """The level in force in `month`: the last recorded on or before it (one index probe)."""
        c = self.levels.c
        return (
            select(c.numerator, c.denominator, c.flag)
            .where(
                c.fact == fact,
                c.site_id == site_id,
                c.service_line == service_line,
                c.month <= month,
            )
            .order_by(c.month.desc())
            .limit(1)
        )

    def latest_level(
        self, conn: Connection, fact: str, site_id: UUID, service_line: str, month: date
    ) -> tuple[int, int, bool] | None:
        row = conn.execute(self.level_probe(fact, site_id, service_line, month)).first()
        return None if row is None else (int(row.numerator), int(row.denominator), bool(row.flag))
