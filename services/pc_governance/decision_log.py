"""Whether a decision id is in the governance meetings' decision log (its read model)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from mhg.readstore import ReadStore
from services.pc_governance.domain.authorization_basis import DecisionLog


def decision_log(store: ReadStore) -> DecisionLog:
    table = store.metadata.tables["pc_meeting_decisions"]

    def logged(decision_id: UUID) -> bool:
        with store.reader.connect() as conn:
            found = conn.execute(
                select(table.c.decision_id).where(table.c.decision_id == decision_id)
            ).first()
        return found is not None

    return logged
