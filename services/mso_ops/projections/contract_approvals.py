"""The PC approvals clinical-supply contracts rest on, each with its standing now (ADR 0012).

Part of the facilities projection. A row per (contract, change) keeps the PC's last
decision on the change and its standing: that decision, or `superseded` while the
site's term for the aspect is another change's. The site's terms for the aspects a
contract can rest on are kept beside them, from `Site.OperatingTermSet`, so a later
approval at the site, and the return of an earlier term when it is withdrawn, show on
every contract resting on the earlier change, in log order, live and on a rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import Column, ColumnElement, MetaData, String, Table, Uuid, select, update
from sqlalchemy.engine import Connection

from mhg.projection import Handler
from services.mso_ops.domain.contract_approval import (
    APPROVING_ASPECT,
    approval_status,
    change_standing,
)
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_change import APPROVED, SiteChange
from services.mso_ops.projections.column_groups import site_id

TABLES = ("mso_vendor_contract_approvals", "mso_vendor_contract_site_terms")
CONTRACT_ASPECTS = frozenset(APPROVING_ASPECT.values())


def define(metadata: MetaData) -> None:
    Table(
        "mso_vendor_contract_approvals",
        metadata,
        Column("contract_id", Uuid, primary_key=True),
        Column("change_id", Uuid, primary_key=True, index=True),
        site_id(),
        Column("aspect", String(40), nullable=False),
        Column("status", String(20), nullable=False),  # the change's, as the PC last decided
        Column("standing", String(20), nullable=False),  # the status, or superseded
    )
    Table(
        "mso_vendor_contract_site_terms",
        metadata,
        Column("site_id", Uuid, primary_key=True),
        Column("aspect", String(40), primary_key=True),
        Column("change_id", Uuid),  # whose term is in force there; none once none is
    )


class ContractApprovals:
    """Writes the approvals and site terms, and each contract's `pc_approval_status`."""

    def __init__(self, metadata: MetaData) -> None:
        t = metadata.tables
        self.contracts = t["mso_vendor_contracts"]
        self.approvals = t["mso_vendor_contract_approvals"]
        self.terms = t["mso_vendor_contract_site_terms"]

    def signed(self, conn: Connection, contract_id: UUID, pc_approvals: list[Any]) -> str:
        """The approvals a new contract rests on (approved when it was signed); its status."""
        standings = []
        for approval in pc_approvals:
            change_id, site_id = UUID(approval["change_id"]), UUID(approval["site_id"])
            standing = self._standing(conn, APPROVED, change_id, site_id, approval["aspect"])
            standings.append(standing)
            conn.execute(
                self.approvals.insert().values(
                    contract_id=contract_id,
                    change_id=change_id,
                    site_id=site_id,
                    aspect=approval["aspect"],
                    status=APPROVED,
                    standing=standing,
                )
            )
        return approval_status(standings)

    def handlers(self) -> Mapping[type[Any], Handler]:
        approvals = self.approvals

        def withdrawn(conn: Connection, event: Any, _position: int) -> None:
            self._decided(conn, event.originator_id, event.outcome)

        def reinstated(conn: Connection, event: Any, _position: int) -> None:
            self._decided(conn, event.originator_id, APPROVED)

        def term_set(conn: Connection, event: Any, _position: int) -> None:
            if event.aspect not in CONTRACT_ASPECTS:
                return
            site_id, aspect = event.originator_id, event.aspect
            in_force = UUID(event.term["change_id"]) if event.term else None
            key = (self.terms.c.site_id == site_id) & (self.terms.c.aspect == aspect)
            if conn.execute(select(self.terms.c.site_id).where(key)).first() is None:
                conn.execute(
                    self.terms.insert().values(site_id=site_id, aspect=aspect, change_id=in_force)
                )
            else:
                conn.execute(update(self.terms).where(key).values(change_id=in_force))
            self._restand(conn, (approvals.c.site_id == site_id) & (approvals.c.aspect == aspect))

        return {
            SiteChange.Withdrawn: withdrawn,
            SiteChange.Reinstated: reinstated,
            Site.OperatingTermSet: term_set,
        }

    def _decided(self, conn: Connection, change_id: UUID, status: str) -> None:
        """The PC's later decision on a change, on every contract resting on it."""
        resting = self.approvals.c.change_id == change_id
        conn.execute(update(self.approvals).where(resting).values(status=status))
        self._restand(conn, resting)

    def _standing(
        self, conn: Connection, status: str, change_id: UUID, site_id: UUID, aspect: str
    ) -> str:
        terms = self.terms.c
        in_force = conn.execute(
            select(terms.change_id).where((terms.site_id == site_id) & (terms.aspect == aspect))
        ).scalar()
        return change_standing(status, change_id, in_force)

    def _restand(self, conn: Connection, which: ColumnElement[bool]) -> None:
        """Derive the standing of the approvals `which` selects, and of their contracts."""
        a = self.approvals.c
        rows = conn.execute(
            select(a.contract_id, a.change_id, a.site_id, a.aspect, a.status).where(which)
        ).all()
        for row in rows:
            standing = self._standing(conn, row.status, row.change_id, row.site_id, row.aspect)
            conn.execute(
                update(self.approvals)
                .where((a.contract_id == row.contract_id) & (a.change_id == row.change_id))
                .values(standing=standing)
            )
        for contract_id in sorted({row.contract_id for row in rows}):
            standings = conn.execute(select(a.standing).where(a.contract_id == contract_id))
            conn.execute(
                update(self.contracts)
                .where(self.contracts.c.id == contract_id)
                .values(pc_approval_status=approval_status(standings.scalars()))
            )
