"""The facts KPIs are computed from, kept per (fact, site, service line, month).

The narrow input of performance reporting: a capability feeds KPIs by adding a handler
(kpi_feeds.py) that calls an input of kpi_inputs.py (`add_count`, `record_duration`,
`record_level`) with a fact named in domain/kpi_catalogue.py. A month's report reads
that month's rows only, through indexes led by the month, so its cost does not grow
with the years of history behind it. Months are calendar months on the site's wall
clock (its zone, ADR 0027; `mso_kpi_site_zones`), in UTC for a site without a zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from mhg.columns import UTCDateTime
from mhg.read_models import required
from services.mso_ops.projections import go_live_standard

SITE_WIDE = ""  # the service line of a fact that belongs to the site as a whole


def series_key(*more: Column[Any]) -> tuple[Column[Any], ...]:
    """The key of a fact's series: the fact, its site and service line (`SITE_WIDE` for the
    site as a whole), with `more` (the month of a month's row)."""
    return (
        Column("fact", String(40), primary_key=True),
        Column("site_id", Uuid, primary_key=True),
        Column("service_line", String(64), primary_key=True),
        *more,
    )


def define(metadata: MetaData) -> None:
    Table(
        "mso_kpi_site_zones",  # a site's IANA zone, while it has one: its months are local
        metadata,
        Column("site_id", Uuid, primary_key=True),
        Column("time_zone", String(64), nullable=False),
    )
    Table(
        "mso_kpi_subjects",  # what later events need of their subject (a visit, form, claim)
        metadata,
        Column("id", Uuid, primary_key=True),
        *required(site_id=Uuid, service_line=String(64), month=Date),
        Column("started_at", UTCDateTime),  # where a duration starts
        Column("cents", BigInteger),  # an amount that later facts count (a claim's)
        Column("marks", String(100), nullable=False),  # steps counted once, space-separated
    )
    Table(
        "mso_kpi_checklist",  # a site's readiness items, met or not, as last recorded
        metadata,
        Column("site_id", Uuid, primary_key=True),
        Column("item", String(40), primary_key=True),
        Column("met", Boolean, nullable=False),
        Column("documented", Boolean, nullable=False),  # met on a named document
    )
    go_live_standard.define(metadata, "mso_kpi_go_live_standard")
    Table(
        "mso_kpi_slots",  # published slots: scheduled minutes, and places still free
        metadata,
        Column("id", Uuid, primary_key=True),
        *required(site_id=Uuid, service_line=String(64), start=UTCDateTime, minutes=Integer),
        Column("down_minutes", Integer, nullable=False),  # of its minutes inside downtime
        Column("capacity", Integer, nullable=False),
        Column("taken", Integer, nullable=False),  # places taken by appointments
        Column("open", Boolean, nullable=False),
        Column("month", Date, nullable=False),  # the site's month of its start
        Index("ix_mso_kpi_slots_site", "site_id", "start"),
        Index("ix_mso_kpi_slots_line", "site_id", "service_line", "start"),
    )
    Table(
        "mso_kpi_downtime",  # downtime windows that ended and were not withdrawn
        metadata,
        Column("id", Uuid, primary_key=True),
        *required(site_id=Uuid, start=UTCDateTime, end=UTCDateTime),
        Index("ix_mso_kpi_downtime_site", "site_id", "start"),
    )
    Table(
        "mso_kpi_counts",
        metadata,
        *series_key(Column("month", Date, primary_key=True)),
        Column("total", BigInteger, nullable=False),
        Index("ix_mso_kpi_counts_month", "month", "site_id"),
    )
    Table(
        "mso_kpi_durations",
        metadata,
        Column("fact", String(40), primary_key=True),
        Column("subject_id", Uuid, primary_key=True),
        *required(site_id=Uuid, service_line=String(64), month=Date, seconds=BigInteger),
        Index("ix_mso_kpi_durations_month", "month", "site_id", "fact", "seconds"),
    )
    Table(
        "mso_kpi_level_series",  # one row per (fact, site, line) that ever had a level
        metadata,
        *series_key(),
    )
    Table(
        "mso_kpi_levels",
        metadata,
        *series_key(Column("month", Date, primary_key=True)),
        *required(numerator=BigInteger, denominator=BigInteger, flag=Boolean),
    )


TABLES = (
    "mso_kpi_site_zones",
    "mso_kpi_checklist",
    "mso_kpi_go_live_standard",
    "mso_kpi_subjects",
    "mso_kpi_slots",
    "mso_kpi_downtime",
    "mso_kpi_counts",
    "mso_kpi_durations",
    "mso_kpi_level_series",
    "mso_kpi_levels",
)


def month_of(moment: datetime | date, zone: str | None = None) -> date:
    """The first day of the month a day falls in, or a moment at a site in `zone` (in UTC
    for a site without one)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC if zone is None else ZoneInfo(zone))
    return date(moment.year, moment.month, 1)
