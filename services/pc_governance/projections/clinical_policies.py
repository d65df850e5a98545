"""Coding rules and the records policy on the PC's read side: the documents' list and the
versions in force on a day.

`pc_clinical_policies` has a row per document (its status, the standing version and its
days); `pc_clinical_policy_versions` a row per approved version with its period and
terms, rewritten from what each decision publishes, so "in force on day D" is one
query. `POLICIES` is the list's selection; `in_force` answers the day's versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from mhg.listing import Selection, equals
from mhg.projection import Projection
from mhg.projection_rows import in_turn, insert_on
from mhg.read_models import aggregate_columns, required
from mhg.readstore import ReadStore
from services.pc_governance.domain.clinical_policy import ClinicalPolicy
from services.pc_governance.domain.clinical_policy_terms import PARTS
from services.pc_governance.projections.dated_documents import (
    approved_on,
    lifecycle_columns,
    retired_on,
)
from services.pc_governance.projections.protocols import FIRST_DRAFT, drafted

POLICIES = Selection("pc_clinical_policies", kind=equals(), service_line=equals(), status=equals())


def define(metadata: MetaData) -> None:
    Table(
        "pc_clinical_policies",
        metadata,
        *aggregate_columns(),
        Column("kind", String(20), nullable=False, index=True),
        Column("name", String(200), nullable=False),
        Column("service_line", String(64), index=True),
        *lifecycle_columns(),
    )
    Table(
        "pc_clinical_policy_versions",
        metadata,
        Column("policy_id", Uuid, primary_key=True),
        Column("number", Integer, primary_key=True),
        Column("kind", String(20), nullable=False, index=True),
        Column("name", String(200), nullable=False),
        Column("service_line", String(64)),
        Column("effective_from", Date, nullable=False),
        Column("ended_on", Date),
        *required(decision_id=Uuid, terms=JSON),
    )


def in_force(store: ReadStore, kind: str, day: date, service_line: str | None) -> list[Any]:
    """The approved versions of `kind` in force on `day` (for the line, when one is named),
    the latest to take effect first."""
    versions = store.metadata.tables["pc_clinical_policy_versions"]
    query = select(versions).where(
        versions.c.kind == kind,
        versions.c.effective_from <= day,
        or_(versions.c.ended_on.is_(None), versions.c.ended_on > day),
    )
    if service_line is not None:
        query = query.where(versions.c.service_line == service_line)
    with store.reader.connect() as conn:
        return list(conn.execute(query.order_by(versions.c.effective_from.desc())))


def projection(metadata: MetaData) -> Projection:
    policies = metadata.tables["pc_clinical_policies"]
    versions = metadata.tables["pc_clinical_policy_versions"]

    def publish(conn: Connection, event: Any, _position: int) -> None:
        """The document's approved versions, as the decision published them."""
        row = conn.execute(
            select(policies.c.kind, policies.c.name, policies.c.service_line).where(
                policies.c.id == event.originator_id
            )
        ).one()
        conn.execute(delete(versions).where(versions.c.policy_id == event.originator_id))
        conn.execute(
            versions.insert(),
            [
                {
                    "policy_id": event.originator_id,
                    "number": v["version"],
                    **row._asdict(),
                    **{k: v[k] for k in ("effective_from", "ended_on", "decision_id")},
                    "terms": {k: v[k] for k in PARTS[row.kind]},
                }
                for v in event.published
            ],
        )

    return Projection(
        name="pc_clinical_policies",
        tables=[policies, versions],
        handlers={
            ClinicalPolicy.Created: insert_on(
                policies, "kind", "name", "service_line", status="draft", **FIRST_DRAFT
            ),
            ClinicalPolicy.VersionDrafted: drafted(policies),
            ClinicalPolicy.Approved: in_turn(publish, approved_on(policies)),
            ClinicalPolicy.Retired: in_turn(publish, retired_on(policies)),
        },
    )
