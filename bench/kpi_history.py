"""What a month's KPI report costs after 1 month and after 60 months of history.

    .venv/bin/python -m bench.kpi_history [--backend sqlite|postgres|both] [--per-month N]

Fills the KPI facts (counts, durations, levels) of 4 sites x 3 service lines, once
for a single month and once for 60 months, and times `month_report` for the last
month of each store, in turns, in the same run. The ratio (60 months / 1 month) is the figure:
about 1.0 means the report's cost does not grow with history. PostgreSQL needs
MHG_TEST_POSTGRES_URL (each store gets its own schema, dropped at the end).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import Connection

from mhg.eventstore import StoreLocation
from mhg.readstore import ReadStore, ensure_schema
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.projections import build_metadata
from services.mso_ops.projections.kpi_readings import month_report

SITES = [uuid.UUID(int=n) for n in range(1, 5)]
LINES = ("sports_clearance", "school_physical", "community_physical")
COUNTED = (c.APPOINTMENTS_CAME_DUE, c.APPOINTMENTS_NO_SHOW, c.SURVEY_RESPONSES)
TIMED = (c.FORM_TURNAROUND, c.THIRD_NEXT_AVAILABLE)
AUDIT_LEVELS = {0: 5, 30: 8, 45: 9}  # month index -> audit items current, of 10


def months(count: int, first: date = date(2021, 1, 1)) -> list[date]:
    return [
        date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def fill_history(
    conn: Connection, metadata: MetaData, history: Sequence[date], per_month: int
) -> None:
    """Facts for every month of `history`; month i's values are shifted by i hours/counts."""
    tables = metadata.tables
    counts: list[dict[str, Any]] = []
    durations: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    for index, month in enumerate(history):
        for site in SITES:
            for line in LINES:
                key = {"site_id": site, "service_line": line, "month": month}
                counts.append({"fact": c.APPOINTMENTS_CAME_DUE, "total": 10 + index, **key})
                counts.append({"fact": c.APPOINTMENTS_NO_SHOW, "total": 1, **key})
                for fact in TIMED:
                    durations.extend(
                        {
                            "fact": fact,
                            "subject_id": uuid.uuid4(),
                            "seconds": (k + index) * 3_600,
                            **key,
                        }
                        for k in range(1, per_month + 1)
                    )
                counts.append({"fact": c.SURVEY_RESPONSES, "total": per_month, **key})
            wide = {"site_id": site, "service_line": "", "month": month}
            durations.extend(
                {"fact": c.RESULTS_CYCLE, "subject_id": uuid.uuid4(), "seconds": s, **wide}
                for s in range(3_600, 3_600 * (per_month + 1), 3_600)
            )
            if index in AUDIT_LEVELS:
                levels.append(
                    {
                        "fact": c.AUDIT_ITEMS,
                        "numerator": AUDIT_LEVELS[index],
                        "denominator": 10,
                        "flag": False,
                        **wide,
                    }
                )
    conn.execute(tables["mso_kpi_counts"].insert(), counts)
    conn.execute(tables["mso_kpi_durations"].insert(), durations)
    if levels:
        conn.execute(tables["mso_kpi_levels"].insert(), levels)
        conn.execute(
            tables["mso_kpi_level_series"].insert(),
            [{"fact": c.AUDIT_ITEMS, "site_id": site, "service_line": ""} for site in SITES],
        )


def analyze(conn: Connection) -> None:
    """Fresh planner statistics, as a store that has been running would have."""
    conn.exec_driver_sql("ANALYZE")


def store_for(url: str) -> ReadStore:
    location = StoreLocation.parse(url)
    ensure_schema(location)
    store = ReadStore(location, build_metadata())
    store.create_tables()
    return store


def time_report(store: ReadStore, month: date) -> float:
    with store.reader.connect() as conn:
        started = time.perf_counter()
        month_report(conn, store.metadata, month)
        return time.perf_counter() - started


def measure(urls: dict[int, str], per_month: int, repeat: int) -> dict[int, float]:
    """Fill every store, then time them in turn (interleaved, so drift hits both alike)."""
    stores: dict[int, tuple[ReadStore, date]] = {}
    for count, url in urls.items():
        store = store_for(url)
        history = months(count)
        with store.writer.begin() as conn:
            fill_history(conn, store.metadata, history, per_month)
        with store.writer.begin() as conn:
            analyze(conn)
        stores[count] = (store, history[-1])
    gc.collect()
    runs: dict[int, list[float]] = {count: [] for count in stores}
    for turn in range(repeat + 2):
        for count, (store, month) in stores.items():
            seconds = time_report(store, month)
            if turn >= 2:  # the first turns warm the caches
                runs[count].append(seconds)
    for store, _ in stores.values():
        store.dispose()
    return {count: statistics.median(values) for count, values in runs.items()}


def backend_urls(backend: str, workdir: Path) -> tuple[dict[int, str], list[str]]:
    if backend == "sqlite":
        return {n: f"sqlite:///{workdir / f'kpi_{n}.sqlite'}" for n in (1, 60)}, []
    base = os.environ["MHG_TEST_POSTGRES_URL"]
    schemas = {n: f"bench_kpi_{n}_{uuid.uuid4().hex[:8]}" for n in (1, 60)}
    separator = "&" if "?" in base else "?"
    return {n: f"{base}{separator}schema={s}" for n, s in schemas.items()}, list(schemas.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--per-month", type=int, default=200, help="durations per line and fact")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"month report, 4 sites x 3 lines, {args.per_month} durations per line and fact")
    for backend in backends:
        with tempfile.TemporaryDirectory() as workdir:
            urls, schemas = backend_urls(backend, Path(workdir))
            try:
                figures = measure(urls, args.per_month, args.repeat)
            finally:
                if schemas:
                    engine = create_engine(os.environ["MHG_TEST_POSTGRES_URL"])
                    with engine.begin() as conn:
                        for schema in schemas:
                            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                    engine.dispose()
        one, sixty = figures[1], figures[60]
        print(
            f"  {backend:<9} 1 month {one * 1000:7.2f} ms   60 months {sixty * 1000:7.2f} ms"
            f"   ratio {sixty / one:.2f}"
        )


if __name__ == "__main__":
    main()
