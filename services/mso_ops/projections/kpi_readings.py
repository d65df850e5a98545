"""A month's KPIs per site, read from the KPI facts of that month only.

Counts and durations are read with the month as the leading key of an index; a level
is one index probe per series (the last recorded on or before the month). So a report
costs the same after one month or five years of history (bench/kpi_history.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from mhg.listing import start_of_day
from mhg.readstore import ReadStore
from services.mso_ops.domain.kpi_catalogue import AUDIT_ITEMS
from services.mso_ops.domain.kpi_report import Facts, Level, site_readings
from services.mso_ops.domain.performance_report import days_in, month_after
from services.mso_ops.projections.kpi_inputs import KpiInputs
from services.mso_ops.projections.pc_audit_readiness import month_figure

SiteFacts = dict[UUID, dict[str, Facts]]


def month_facts(conn: Connection, metadata: MetaData, month: date) -> SiteFacts:
    """Every fact of the month, by site and then service line ('' for site-wide facts)."""
    inputs = KpiInputs(metadata)
    sites: SiteFacts = defaultdict(lambda: defaultdict(Facts))
    for row in conn.execute(inputs.counts_in(month)):
        sites[row.site_id][row.service_line].counts[row.fact] = int(row.total)
    for row in conn.execute(inputs.durations_in(month)):
        facts = sites[row.site_id][row.service_line]
        facts.durations.setdefault(row.fact, []).append(int(row.seconds))
    for series in conn.execute(select(inputs.series)):
        level = inputs.latest_level(conn, series.fact, series.site_id, series.service_line, month)
        if level is not None:
            sites[series.site_id][series.service_line].levels[series.fact] = Level(*level)
    return sites


def targets(conn: Connection, metadata: MetaData) -> dict[tuple[str, UUID | None], Decimal]:
    table = metadata.tables["mso_kpi_targets"]
    return {
        (row.kpi, row.site_id): Decimal(row.target)
        for row in conn.execute(select(table.c.kpi, table.c.site_id, table.c.target))
    }


@dataclass
class KnownSite:
    name: str
    proposed_at: datetime
    lines: set[str] = field(default_factory=set)


def known_sites(conn: Connection, metadata: MetaData) -> dict[UUID, KnownSite]:
    sites, lines = metadata.tables["mso_sites"], metadata.tables["mso_service_lines"]
    known = {
        row.id: KnownSite(row.name, row.proposed_at)
        for row in conn.execute(select(sites.c.id, sites.c.name, sites.c.proposed_at))
    }
    for row in conn.execute(select(lines.c.site_id, lines.c.code)):
        if row.site_id in known:
            known[row.site_id].lines.add(row.code)
    return known


def month_report(
    conn: Connection, metadata: MetaData, month: date, site_id: UUID | None = None
) -> list[dict[str, Any]]:
    """The report's `sites`: each site proposed before the month's end, or with facts in it.

    Each site's audit readiness is the PC's figure for the month, once it has arrived.
    """
    facts = month_facts(conn, metadata, month)
    audit_items = month_figure(conn, metadata, month)
    goals = targets(conn, metadata)
    end = start_of_day(month_after(month))
    known = known_sites(conn, metadata)
    chosen = {site for site, seen in known.items() if seen.proposed_at < end} | set(facts)
    if site_id is not None:
        chosen &= {site_id}
    report = []
    for site in sorted(chosen, key=lambda s: (known[s].name if s in known else "", str(s))):
        name, lines = (known[site].name, known[site].lines) if site in known else (str(site), set())
        site_facts = facts.get(site, {})
        by_line = {line: site_facts.get(line, Facts()) for line in lines | set(site_facts)}
        if audit_items is not None:
            by_line.setdefault("", Facts()).levels[AUDIT_ITEMS] = audit_items

        def target_of(kpi: str, site: UUID = site) -> Decimal | None:
            return goals.get((kpi, site), goals.get((kpi, None)))

        report.append(
            {
                "site_id": str(site),
                "site_name": name,
                "kpis": site_readings(by_line, target_of, days_in(month)),
            }
        )
    return report


def read_site_zones(store: ReadStore) -> dict[UUID, str]:
    """Each site's IANA zone, of the sites that have one (its months are its own)."""
    zones = store.metadata.tables["mso_kpi_site_zones"]
    with store.reader.connect() as conn:
        return {row.site_id: row.time_zone for row in conn.execute(select(zones))}


def read_month_report(
    store: ReadStore, month: date, site_id: UUID | None = None
) -> list[dict[str, Any]]:
    """`month_report`, read on a connection of its own."""
    with store.reader.connect() as conn:
        return month_report(conn, store.metadata, month, site_id)
