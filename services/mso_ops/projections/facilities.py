"""Vendors and their contracts (with the sites and PC approvals they rest on), incidents.

A clinical-supply contract's `pc_approval_status` follows the PC's later decisions on
the material changes it rests on: a suspension, revocation or reinstatement of a
change updates every contract resting on it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text, Uuid, select, update
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.projection import Projection
from services.mso_ops.domain.contract_approval import approval_status
from services.mso_ops.domain.facility import OPEN, RESOLVED, FacilityIncident
from services.mso_ops.domain.site_change import APPROVED, SiteChange
from services.mso_ops.domain.vendor import ACTIVE, TERMINATED, Vendor, VendorContract

TABLES = (
    "mso_vendors",
    "mso_vendor_contracts",
    "mso_vendor_contract_sites",
    "mso_vendor_contract_approvals",
    "mso_facility_incidents",
)


def define(metadata: MetaData) -> None:
    Table(
        "mso_vendors",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("name", String(200), nullable=False),
        Column("contact", String(200), nullable=False),
        Column("registered_at", UTCDateTime, nullable=False),
    )
    Table(
        "mso_vendor_contracts",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("vendor_id", Uuid, nullable=False, index=True),
        Column("vendor_name", String(200), nullable=False),
        Column("supplies", String(40), nullable=False, index=True),
        Column("description", Text, nullable=False),
        Column("term_start", Date, nullable=False),
        Column("term_end", Date, nullable=False),
        Column("renewal_date", Date, nullable=False, index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("pc_approval_status", String(20), nullable=False, index=True),
    )
    Table(
        "mso_vendor_contract_sites",
        metadata,
        Column("contract_id", Uuid, primary_key=True),
        Column("site_id", Uuid, primary_key=True, index=True),
    )
    Table(
        "mso_vendor_contract_approvals",
        metadata,
        Column("contract_id", Uuid, primary_key=True),
        Column("change_id", Uuid, primary_key=True, index=True),
        Column("status", String(20), nullable=False),  # the change's, as the PC last decided
    )
    Table(
        "mso_facility_incidents",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", Integer, nullable=False, unique=True),
        Column("site_id", Uuid, nullable=False, index=True),
        Column("day", Date, nullable=False, index=True),
        Column("occurred_at", UTCDateTime, nullable=False),
        Column("category", String(40), nullable=False, index=True),
        Column("description", Text, nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("resolved_at", UTCDateTime),
    )


def projection(metadata: MetaData) -> Projection:
    t = metadata.tables
    vendors, contracts, contract_sites, approvals = (
        t["mso_vendors"],
        t["mso_vendor_contracts"],
        t["mso_vendor_contract_sites"],
        t["mso_vendor_contract_approvals"],
    )
    incidents = t["mso_facility_incidents"]

    def vendor_registered(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            vendors.insert().values(
                id=event.originator_id,
                position=position,
                name=event.name,
                contact=event.contact,
                registered_at=event.timestamp,
            )
        )

    def contract_signed(conn: Connection, event: Any, position: int) -> None:
        rests_on = [a["change_id"] for a in getattr(event, "pc_approvals", None) or []]
        conn.execute(
            contracts.insert().values(
                id=event.originator_id,
                position=position,
                vendor_id=event.vendor_id,
                vendor_name=event.vendor_name,
                supplies=event.supplies,
                description=event.description,
                term_start=event.term_start,
                term_end=event.term_end,
                renewal_date=event.renewal_date,
                status=ACTIVE,
                pc_approval_status=approval_status(APPROVED for _ in rests_on),
            )
        )
        for site_id in event.site_ids:
            conn.execute(
                contract_sites.insert().values(contract_id=event.originator_id, site_id=site_id)
            )
        for change_id in rests_on:  # each change was approved when the contract was signed
            conn.execute(
                approvals.insert().values(
                    contract_id=event.originator_id, change_id=UUID(change_id), status=APPROVED
                )
            )

    def contract(conn: Connection, event: Any, **values: Any) -> None:
        conn.execute(
            update(contracts).where(contracts.c.id == event.originator_id).values(**values)
        )

    def change_decided(conn: Connection, change_id: UUID, status: str) -> None:
        """The PC's later decision on a change, on every contract resting on it."""
        resting = approvals.c.change_id == change_id
        contract_ids = conn.execute(select(approvals.c.contract_id).where(resting)).scalars().all()
        conn.execute(update(approvals).where(resting).values(status=status))
        for contract_id in contract_ids:
            statuses = conn.execute(
                select(approvals.c.status).where(approvals.c.contract_id == contract_id)
            ).scalars()
            conn.execute(
                update(contracts)
                .where(contracts.c.id == contract_id)
                .values(pc_approval_status=approval_status(statuses))
            )

    def change_withdrawn(conn: Connection, event: Any, _position: int) -> None:
        change_decided(conn, event.originator_id, event.outcome)

    def change_reinstated(conn: Connection, event: Any, _position: int) -> None:
        change_decided(conn, event.originator_id, APPROVED)

    def renewed(conn: Connection, event: Any, _position: int) -> None:
        contract(conn, event, term_end=event.term_end, renewal_date=event.renewal_date)

    def terminated(conn: Connection, event: Any, _position: int) -> None:
        contract(conn, event, term_end=event.last_day, status=TERMINATED)

    def reported(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            incidents.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                day=event.occurred_at.date(),
                occurred_at=event.occurred_at,
                category=event.category,
                description=event.description,
                status=OPEN,
            )
        )

    def resolved(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(
            update(incidents)
            .where(incidents.c.id == event.originator_id)
            .values(status=RESOLVED, resolved_at=event.resolved_at)
        )

    return Projection(
        name="mso_facilities",
        tables=[t[name] for name in TABLES],
        handlers={
            Vendor.Registered: vendor_registered,  # type: ignore[attr-defined]
            VendorContract.Signed: contract_signed,  # type: ignore[attr-defined]
            VendorContract.Renewed: renewed,  # type: ignore[attr-defined]
            VendorContract.Terminated: terminated,  # type: ignore[attr-defined]
            SiteChange.Withdrawn: change_withdrawn,  # type: ignore[attr-defined]
            SiteChange.Reinstated: change_reinstated,  # type: ignore[attr-defined]
            FacilityIncident.Reported: reported,  # type: ignore[attr-defined]
            FacilityIncident.Resolved: resolved,  # type: ignore[attr-defined]
        },
    )
