"""Provenance of an authorization: each decision resolved to the act it rests on.

MSO Operations' provenance of a booking or a service line ends with the path of this
route; following it gives the meeting decision (motion, vote, minutes) or the Medical
Director's act, the protocol versions named, and the feed message that carried the
decision (its id matches the one the MSO recorded).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import func, select

from mhg.declared import shown
from mhg.provenance import publication
from mhg.readstore import ReadStore
from mhg.routes import Runtime
from services.pc_governance.api.dependencies import PcReader, Provenance
from services.pc_governance.api.provenance.schemas import AuthorizationProvenanceOut
from services.pc_governance.application.provenance import MeetingOfDecision, ProtocolTitled

router = APIRouter(tags=["provenance"])


@shown(
    router,
    "/provenance/authorizations/{authorization_id}",
    "getAuthorizationProvenance",
    PcReader,
    versioned=False,
)
def authorization_provenance(
    authorization_id: UUID, rt: Runtime, provenance: Provenance
) -> AuthorizationProvenanceOut:
    """Each decision on an authorization, with its meeting decision or Medical Director act"""
    trace = provenance.authorization_provenance(
        authorization_id,
        meeting_of=meeting_of_decision(rt.store),
        protocol_titled=protocol_titled(rt.store),
    )
    published = [publication(rt.publisher, d.event) for d in trace.decisions]
    return AuthorizationProvenanceOut.of(trace, published)


def meeting_of_decision(store: ReadStore) -> MeetingOfDecision:
    """The meeting whose decision log holds a decision id (the decision log read model)."""
    table = store.metadata.tables["pc_meeting_decisions"]

    def find(decision_id: UUID) -> UUID | None:
        with store.reader.connect() as conn:
            found: UUID | None = conn.execute(
                select(table.c.meeting_id).where(table.c.decision_id == decision_id)
            ).scalar()
        return found

    return find


def protocol_titled(store: ReadStore) -> ProtocolTitled:
    """The protocol with this title (case aside), if exactly one has it."""
    table = store.metadata.tables["pc_protocols"]

    def find(title: str) -> UUID | None:
        with store.reader.connect() as conn:
            found = (
                conn.execute(
                    select(table.c.id).where(func.lower(table.c.title) == title.lower()).limit(2)
                )
                .scalars()
                .all()
            )
        return found[0] if len(found) == 1 else None

    return find
