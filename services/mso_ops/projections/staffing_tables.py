"""The staffing read model's tables: staff, the PC's clinician eligibility and
supervision rules, shifts and their staff, and coverage gaps (with the visit templates'
tables, which coverage reads).

Defined apart from the projection that fills them (staffing.py), which the API reads.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from mhg.columns import UTCDateTime
from mhg.read_models import aggregate_columns, log_position, required, required_indexed
from services.mso_ops.projections import visit_templates
from services.mso_ops.projections.column_groups import name, row_status, site_and_day, updated_at

TABLES = (
    *visit_templates.TABLES,
    "mso_staff",
    "mso_clinician_eligibility",
    "mso_supervision_rules",
    "mso_supervision_pairings",
    "mso_shifts",
    "mso_shift_staff",
    "mso_coverage_gaps",
)


def define(metadata: MetaData) -> None:
    visit_templates.define(metadata)
    Table(
        "mso_staff",
        metadata,
        *aggregate_columns(),
        Column("kind", String(20), nullable=False, index=True),
        name(),
        Column("job_title", String(100), nullable=False),
        Column("clinician_id", Uuid, index=True),
        Column("clinical_role", String(20)),
        Column("eligible", Boolean),
        Column("home_site_id", Uuid, index=True),
        Column("registered_at", UTCDateTime, nullable=False),
    )
    Table(
        "mso_clinician_eligibility",
        metadata,
        Column("clinician_id", Uuid, primary_key=True),
        log_position(),
        name(),
        *required_indexed(role=String(20), eligible=Boolean),
        *required(reason=String(40), effective_at=UTCDateTime),
        Column("lapses_on", Date),  # the day eligibility lapses unless renewed (ADR 0019)
    )
    Table(
        "mso_supervision_rules",
        metadata,
        Column("id", Uuid, primary_key=True),
        *required(
            max_apps_per_physician=Integer,
            chart_review_share_percent=Integer,
            published_at=UTCDateTime,
        ),
    )
    Table(
        "mso_supervision_pairings",
        metadata,
        Column("assignment_id", Uuid, primary_key=True),
        Column("app_id", Uuid, nullable=False, index=True),
        *required(physician_id=Uuid, effective_from=Date),
        Column("effective_to", Date),
    )
    Table(
        "mso_shifts",
        metadata,
        *aggregate_columns(),
        *site_and_day(),
        Column("start", UTCDateTime, nullable=False),
        Column("end", UTCDateTime, nullable=False, index=True),
        Column("needs_clinical_coverage", Boolean, nullable=False),
        Column("label", String(200)),
        Column("template_id", Uuid, index=True),
        row_status(),
        Column("staff_count", Integer, nullable=False),
    )
    Table(
        "mso_shift_staff",
        metadata,
        Column("shift_id", Uuid, primary_key=True),
        Column("staff_id", Uuid, primary_key=True),
        *required(position=BigInteger, kind=String(20)),
        Column("clinician_id", Uuid, index=True),
    )
    Table(
        "mso_coverage_gaps",
        metadata,
        Column("shift_id", Uuid, primary_key=True),
        log_position(),
        *site_and_day(),
        *required(start=UTCDateTime, end=UTCDateTime),
        Column("label", String(200)),
        *required(reasons=JSON, reason_codes=String(200), opened_at=UTCDateTime),
        updated_at(),
    )
