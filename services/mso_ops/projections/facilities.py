"""Vendors and their contracts (with the sites and PC approvals they rest on), incidents.

A clinical-supply contract's `pc_approval_status` follows the PC's later decisions on
the material changes it rests on, and the terms in force at their sites: a suspension,
revocation or reinstatement of a change, or a later change replacing its term at the
site, updates every contract resting on it (`contract_approvals`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Column, ColumnElement, Date, MetaData, String, Table, Text, Uuid, and_
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equal_columns, equals, linked, matching
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, copied, from_event, insert_on, insert_row, set_on_row
from mhg.read_models import aggregate_columns, projection_over, required
from services.mso_ops.domain.contract_approval import NOT_IN_FORCE
from services.mso_ops.domain.facility import OPEN, RESOLVED, FacilityIncident
from services.mso_ops.domain.vendor import ACTIVE, TERMINATED, Vendor, VendorContract
from services.mso_ops.projections import contract_approvals
from services.mso_ops.projections.column_groups import SITE_AND_DAYS, name, row_status, site_and_day
from services.mso_ops.projections.contract_approvals import ContractApprovals

TABLES = (
    "mso_vendors",
    "mso_vendor_contracts",
    "mso_vendor_contract_sites",
    *contract_approvals.TABLES,
    "mso_facility_incidents",
)


SIGNED = (  # what a contract's row keeps of its signature, as the event tells it
    "vendor_id",
    "vendor_name",
    "supplies",
    "description",
    "term_start",
    "term_end",
    "renewal_date",
)


def define(metadata: MetaData) -> None:
    Table(
        "mso_vendors",
        metadata,
        *aggregate_columns(),
        name(),
        *required(contact=String(200), registered_at=UTCDateTime),
    )
    Table(
        "mso_vendor_contracts",
        metadata,
        *aggregate_columns(),
        Column("vendor_id", Uuid, nullable=False, index=True),
        Column("vendor_name", String(200), nullable=False),
        Column("supplies", String(40), nullable=False, index=True),
        *required(description=Text, term_start=Date, term_end=Date),
        Column("renewal_date", Date, nullable=False, index=True),
        row_status(),
        Column("pc_approval_status", String(20), nullable=False, index=True),
    )
    Table(
        "mso_vendor_contract_sites",
        metadata,
        Column("contract_id", Uuid, primary_key=True),
        Column("site_id", Uuid, primary_key=True, index=True),
    )
    contract_approvals.define(metadata)
    Table(
        "mso_facility_incidents",
        metadata,
        *aggregate_columns(),
        *site_and_day(),
        Column("occurred_at", UTCDateTime, nullable=False),
        Column("category", String(40), nullable=False, index=True),
        Column("description", Text, nullable=False),
        row_status(),
        Column("resolved_at", UTCDateTime),
    )


VENDORS = Selection("mso_vendors")


def _renewing(table: Table, window: tuple[date, int]) -> ColumnElement[bool]:
    """Active contracts whose renewal date is within `days` of `start`."""
    start, days = window
    return and_(
        table.c.status == "active",
        table.c.renewal_date >= start,
        table.c.renewal_date <= start + timedelta(days=days),
    )


def _pc_approval(table: Table, status: str) -> ColumnElement[bool]:
    """`not_in_force` is whichever of revoked, suspended or superseded it is."""
    if status == "not_in_force":
        return table.c.pc_approval_status.in_(NOT_IN_FORCE)
    return table.c.pc_approval_status == status


CONTRACTS = Selection(
    "mso_vendor_contracts",
    vendor_id=equals(),
    site=linked("mso_vendor_contract_sites", "contract_id", "site_id"),
    **equal_columns("supplies", "status"),
    renewing=matching(_renewing),
    pc_approval_status=matching(_pc_approval),
)

INCIDENTS = Selection("mso_facility_incidents", **SITE_AND_DAYS, status=equals(), category=equals())


def projection(metadata: MetaData) -> Projection:
    t = metadata.tables
    vendors, contracts, contract_sites = (
        t["mso_vendors"],
        t["mso_vendor_contracts"],
        t["mso_vendor_contract_sites"],
    )
    incidents = t["mso_facility_incidents"]
    approvals = ContractApprovals(metadata)

    vendor_registered = insert_on(vendors, "name", "contact", registered_at=MOMENT)

    def contract_signed(conn: Connection, event: Any, position: int) -> None:
        rests_on = getattr(event, "pc_approvals", None) or []
        pc_approval_status = approvals.signed(conn, event.originator_id, rests_on)
        insert_row(
            conn,
            contracts,
            event,
            position,
            **copied(event, *SIGNED),
            status=ACTIVE,
            pc_approval_status=pc_approval_status,
        )
        for site_id in event.site_ids:
            conn.execute(
                contract_sites.insert().values(contract_id=event.originator_id, site_id=site_id)
            )

    reported = insert_on(
        incidents,
        *("site_id", "occurred_at", "category", "description"),
        day=from_event("occurred_at", datetime.date),
        status=OPEN,
    )

    return projection_over(
        metadata,
        "mso_facilities",
        TABLES,
        {
            Vendor.Registered: vendor_registered,
            VendorContract.Signed: contract_signed,
            VendorContract.Renewed: set_on_row(
                contracts, term_end=from_event("term_end"), renewal_date=from_event("renewal_date")
            ),
            VendorContract.Terminated: set_on_row(
                contracts, term_end=from_event("last_day"), status=TERMINATED
            ),
            **approvals.handlers(),
            FacilityIncident.Reported: reported,
            FacilityIncident.Resolved: set_on_row(
                incidents, status=RESOLVED, resolved_at=from_event("resolved_at")
            ),
        },
    )
