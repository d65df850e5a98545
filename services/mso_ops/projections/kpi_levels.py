"""The KPI projection's levels as its handlers write and read them (`KpiInputs`).

A level is recorded from a month on, until another is recorded (`mso_kpi_levels`), and
each series that ever had one has a row (`mso_kpi_level_series`). A series' levels are
read once a batch (`batch_memo`) and kept by the writes below, so that recording a level,
or reading the one in force before recording the next, reads nothing back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo

Level = tuple[int, int, bool]  # numerator, denominator, flag


@dataclass
class SeriesLevels:
    """A series' levels by month, and whether its series row is written."""

    months: dict[date, Level]
    named: bool | None  # None: not read yet

    def in_force(self, month: date) -> Level | None:
        """The level recorded last on or before `month`."""
        recorded = [m for m in self.months if m <= month]
        return self.months[max(recorded)] if recorded else None


class RecordedLevels:
    def __init__(self, levels: Table, series: Table) -> None:
        v, s = levels.c, series.c
        of_series = (
            v.fact == bindparam("b_fact"),
            v.site_id == bindparam("b_site_id"),
            v.service_line == bindparam("b_service_line"),
        )
        self._levels = select(v.month, v.numerator, v.denominator, v.flag).where(*of_series)
        self._series = select(s.fact).where(
            s.fact == bindparam("b_fact"),
            s.site_id == bindparam("b_site_id"),
            s.service_line == bindparam("b_service_line"),
        )
        self._new_series, self._new_level = series.insert(), levels.insert()
        self._drop = levels.delete().where(*of_series, v.month == bindparam("b_month"))
        self._add_to_later = (
            update(levels)
            .where(*of_series, v.month > bindparam("b_month"))
            .values(numerator=v.numerator + bindparam("add"))
        )

    def in_force(
        self, conn: Connection, fact: str, site_id: UUID, service_line: str, month: date
    ) -> Level | None:
        return self._of(conn, fact, site_id, service_line).in_force(month)

    def record(self, conn: Connection, key: dict[str, Any], month: date, level: Level) -> None:
        """The level from this month on (`key`: its fact, site_id and service_line)."""
        levels = self._of(conn, key["fact"], key["site_id"], key["service_line"])
        given = _bound(key)
        if levels.in_force(month) is None:
            if levels.named is None:
                levels.named = conn.execute(self._series, given).first() is not None
            if not levels.named:
                conn.execute(self._new_series, key)
                levels.named = True
        conn.execute(self._drop, {**given, "b_month": month})
        numerator, denominator, flag = level
        row = {"month": month, "numerator": numerator, "denominator": denominator, "flag": flag}
        conn.execute(self._new_level, {**row, **key})
        levels.months[month] = level

    def add_to_later(self, conn: Connection, key: dict[str, Any], month: date, add: int) -> None:
        """Add to the numerator of each level recorded for a month after `month`."""
        conn.execute(self._add_to_later, {**_bound(key), "b_month": month, "add": add})
        levels = self._of(conn, key["fact"], key["site_id"], key["service_line"])
        for later, (numerator, denominator, flag) in list(levels.months.items()):
            if later > month:
                levels.months[later] = (numerator + add, denominator, flag)

    def _of(self, conn: Connection, fact: str, site_id: UUID, service_line: str) -> SeriesLevels:
        memo = batch_memo(conn, self)
        known: SeriesLevels | None = memo.get((fact, site_id, service_line))
        if known is None:
            key = {"b_fact": fact, "b_site_id": site_id, "b_service_line": service_line}
            months = {
                r.month: (int(r.numerator), int(r.denominator), bool(r.flag))
                for r in conn.execute(self._levels, key)
            }
            known = memo[fact, site_id, service_line] = SeriesLevels(months, None)
        return known


def _bound(key: dict[str, Any]) -> dict[str, Any]:
    return {f"b_{name}": value for name, value in key.items()}
