"""The inputs of the KPI projection: what its handlers call, inside its transaction.

`add_count` adds to a month's count (or amount in cents), `record_duration` keeps a
subject's duration in the month it ended, `record_level` records a level from a month
on. `month_at` is the month of a moment at a site: on the site's wall clock when it has
a zone (`set_zone`), in UTC when it has none. Subjects remember what later events about them need: their site, service line and
month, when their duration started, an amount, and which steps were counted already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, Select, bindparam, select, update
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo
from mhg.projection_rows import Tally
from services.mso_ops.projections.kpi_facts import month_of
from services.mso_ops.projections.kpi_levels import RecordedLevels

Place = tuple[UUID, str, date]
"""Where a fact is counted or a level recorded: a site, a service line and a month."""


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
    def key(self) -> Place:
        """Where the subject's counts go: its site, service line and month."""
        return self.site_id, self.service_line, self.month


COUNT_KEY = ("fact", "site_id", "service_line", "month")


class KpiInputs:
    """The inputs of the KPI projection, over its tables, inside the projection's transaction.

    Statements are built once and run with each event's values (SQLAlchemy's compiled
    cache; a replay queues them). Subjects are remembered for the batch (`batch_memo`):
    this class alone writes them, so a later event about one needs no select.
    """

    def __init__(self, metadata: MetaData) -> None:
        tables = metadata.tables
        self.subjects = tables["mso_kpi_subjects"]
        self.counts = tables["mso_kpi_counts"]
        self.durations = tables["mso_kpi_durations"]
        self.series = tables["mso_kpi_level_series"]
        self.levels = tables["mso_kpi_levels"]
        s, d = self.subjects.c, self.durations.c
        self._new_subject = self.subjects.insert()
        self._subject_by_id = update(self.subjects).where(s.id == bindparam("b_id"))
        self._find_subject = select(
            s.site_id, s.service_line, s.month, s.started_at, s.cents, s.marks
        ).where(s.id == bindparam("b_id"))
        self._counts = Tally(self.counts, key=COUNT_KEY, totals=("total",))
        n = self.counts.c
        self._add_to_count = (  # Tally's own update, for a row known to exist
            update(self.counts)
            .where(*(n[name] == bindparam(f"b_{name}") for name in COUNT_KEY))
            .values(total=n.total + bindparam("b_total"))
        )
        self.recorded_levels = RecordedLevels(self.levels, self.series)
        self._known_counts = (self, "counts")  # the key of the batch memo they are kept under
        self._drop_duration = self.durations.delete().where(
            d.fact == bindparam("b_fact"), d.subject_id == bindparam("b_subject_id")
        )
        self._new_duration = self.durations.insert()
        zones = tables["mso_kpi_site_zones"]
        self._zone_of = select(zones.c.time_zone).where(zones.c.site_id == bindparam("b_site"))
        self._drop_zone = zones.delete().where(zones.c.site_id == bindparam("b_site"))
        self._new_zone = zones.insert()
        self._known_zones = (self, "zones")  # the key of the batch memo they are kept under

    def zone_of(self, conn: Connection, site_id: UUID) -> str | None:
        """The site's IANA zone, or None (its months are UTC months)."""
        memo = batch_memo(conn, self._known_zones)
        if site_id not in memo:
            memo[site_id] = conn.execute(self._zone_of, {"b_site": site_id}).scalar()
        zone: str | None = memo[site_id]
        return zone

    def set_zone(self, conn: Connection, site_id: UUID, zone: str | None) -> None:
        """The site's months are local to `zone` from now on (recorded facts stay put)."""
        conn.execute(self._drop_zone, {"b_site": site_id})
        if zone is not None:
            conn.execute(self._new_zone, {"site_id": site_id, "time_zone": zone})
        batch_memo(conn, self._known_zones)[site_id] = zone

    def month_at(self, conn: Connection, site_id: UUID, moment: datetime | date) -> date:
        """The month a moment (or a day) falls in at the site."""
        return month_of(moment, self.zone_of(conn, site_id))

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
            self._new_subject,
            {
                "id": subject_id,
                "site_id": site_id,
                "service_line": service_line,
                "month": month,
                "started_at": started_at,
                "cents": cents,
                "marks": "",
            },
        )
        at = None if started_at is None else started_at.astimezone(UTC)  # as read back
        memo = batch_memo(conn, self)
        memo[subject_id] = Subject(subject_id, site_id, service_line, month, at, cents, "")

    def move_subject(self, conn: Connection, subject_id: UUID, month: date) -> None:
        conn.execute(self._subject_by_id, {"b_id": subject_id, "month": month})
        known: Subject | None = batch_memo(conn, self).get(subject_id)
        if known is not None:
            known.month = month

    def subject(self, conn: Connection, subject_id: UUID) -> Subject | None:
        memo = batch_memo(conn, self)
        known: Subject | None = memo.get(subject_id)
        if known is not None:
            return known
        row = conn.execute(self._find_subject, {"b_id": subject_id}).first()
        if row is None:
            return None
        found = memo[subject_id] = Subject(subject_id, *row)
        return found

    def mark(self, conn: Connection, subject: Subject, step: str) -> bool:
        """Mark a step of the subject as counted: True the first time, False after."""
        if step in subject.marks.split():
            return False
        marks = f"{subject.marks} {step}".strip()
        conn.execute(self._subject_by_id, {"b_id": subject.id, "marks": marks})
        subject.marks = marks
        return True

    def add_count(self, conn: Connection, fact: str, place: Place, amount: int = 1) -> None:
        """Add to a month's count (or amount in cents).

        A count known to have its row (`batch_memo`: rows are never deleted) is added to
        without reading the rowcount; while a replay still holds that addition queued
        (`QueuedResult.pending`: nothing has read the store since), the next one is added
        to it instead of queuing another (only this method writes counts).
        """
        known = batch_memo(conn, self._known_counts)
        site_id, service_line, month = place
        at = (fact, *place)
        last: tuple[Any, dict[str, Any]] | None = known.get(at)
        if last is None:
            key = {"fact": fact, "site_id": site_id, "service_line": service_line, "month": month}
            self._counts.add(conn, key, {"total": amount})
            known[at] = (None, {})  # its row is written
            return
        queued, values = last
        if getattr(queued, "pending", False):
            values["b_total"] += amount
            return
        given = {"b_fact": fact, "b_site_id": site_id, "b_service_line": service_line}
        values = {**given, "b_month": month, "b_total": amount}
        known[at] = (conn.execute(self._add_to_count, values), values)

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
        conn.execute(self._drop_duration, {"b_fact": fact, "b_subject_id": subject_id})
        conn.execute(
            self._new_duration,
            {
                "fact": fact,
                "subject_id": subject_id,
                "site_id": site_id,
                "service_line": service_line,
                "month": self.month_at(conn, site_id, ended),
                "seconds": seconds,
            },
        )

    def record_level(
        self,
        conn: Connection,
        fact: str,
        place: Place,
        numerator: int,
        denominator: int = 0,
        flag: bool = False,
    ) -> None:
        """The level from this month on, until another is recorded."""
        site_id, service_line, month = place
        key = {"fact": fact, "site_id": site_id, "service_line": service_line}
        self.recorded_levels.record(conn, key, month, (numerator, denominator, flag))

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
