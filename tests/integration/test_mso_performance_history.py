"""A month's report reads that month only: the same plan and figures after five years.

The timing side (1 month vs 60 months, as a ratio in one run) is bench/kpi_history.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Select, text
from sqlalchemy.engine import Connection

from bench.kpi_history import SITES, fill_history, months, store_for
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.projections.kpi_inputs import KpiInputs
from services.mso_ops.projections.kpi_readings import month_report
from tests.conftest import StoreUrl
from tests.integration.mso_performance_helpers import kpi

pytestmark = pytest.mark.storage


def plan(conn: Connection, query: Select[Any]) -> str:
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(str(row[-1]) for row in conn.execute(text(explain + sql)))


def reads_by_index(found: str, index: str) -> bool:
    """The plan finds rows through the index (a search/index scan), never by a full scan."""
    if re.search(r"\bSeq Scan\b|\bSCAN mso_kpi", found):
        return False
    return index in found


def test_a_month_report_reads_only_its_month_after_sixty_months(store_url: StoreUrl) -> None:
    store = store_for(store_url("kpi_history"))
    history = months(60)
    with store.writer.begin() as conn:
        fill_history(conn, store.metadata, history, per_month=20)
    with store.writer.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    inputs = KpiInputs(store.metadata)
    last = history[-1]
    with store.reader.connect() as conn:
        counts = plan(conn, inputs.counts_in(last))
        durations = plan(conn, inputs.durations_in(last))
        if conn.dialect.name == "postgresql":
            # levels are few (one per change), so the planner rightly scans them today; what
            # matters is that the probe is an index range read backwards, with no sort
            conn.exec_driver_sql("SET enable_seqscan = off")
        probe = plan(conn, inputs.level_probe(c.AUDIT_ITEMS, SITES[0], "", last))
        conn.rollback()
        report = {"sites": month_report(conn, store.metadata, last)}
        middle = {"sites": month_report(conn, store.metadata, history[40])}
    assert reads_by_index(counts, "ix_mso_kpi_counts_month"), counts
    assert reads_by_index(durations, "ix_mso_kpi_durations_month"), durations
    assert reads_by_index(probe, "mso_kpi_levels"), probe
    assert "Sort" not in probe, probe
    assert "TEMP B-TREE" not in probe, probe

    site = str(SITES[0])
    # month 59: came due 3 x (10 + 59), one no-show per line -> 3 / 207
    no_show = kpi(report, site, "no_show_rate")
    assert (no_show["value"], no_show["sample_size"]) == ("0.0145", 207)
    # form turnaround per line: 20 values of (k + 59) hours, k = 1..20 -> median 69.5 h
    line = kpi(report, site, "form_turnaround_days_median", "school_physical")
    assert (line["value"], line["sample_size"]) == ("2.90", 20)
    # results cycle, site-wide: 1..20 hours every month -> median 10.5 h, p90 18 h
    assert kpi(report, site, "results_cycle_hours_median")["value"] == "10.50"
    assert kpi(report, site, "results_cycle_hours_p90")["value"] == "18.00"
    # audit readiness is a level: 9 of 10 since month 45, 8 of 10 in month 40
    assert kpi(report, site, "audit_readiness")["value"] == "0.9000"
    assert kpi(middle, site, "audit_readiness")["value"] == "0.8000"
    assert kpi(middle, site, "no_show_rate")["sample_size"] == 3 * (10 + 40)
    assert [s["site_id"] for s in report["sites"]] == sorted(str(s) for s in SITES)
    store.dispose()
