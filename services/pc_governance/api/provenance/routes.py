"""Provenance of an authorization: each decision resolved to the act it rests on.

MSO Operations' provenance of a booking or a service line ends with the path of this
route; following it gives the meeting decision (motion, vote, minutes) or the Medical
Director's act, the protocol versions named, and the feed message that carried the
decision (its id matches the one the MSO recorded).
"""

from __future__ import annotations

from functools import partial
from uuid import UUID

from fastapi import APIRouter

from mhg.declared import shown
from mhg.provenance import publication
from mhg.routes import Runtime
from services.pc_governance.api.dependencies import PcReader, Provenance
from services.pc_governance.api.provenance.schemas import AuthorizationProvenanceOut
from services.pc_governance.projections import meetings, protocols

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
        meeting_of=partial(meetings.meeting_of_decision, rt.store),
        protocol_titled=partial(protocols.titled, rt.store),
    )
    published = [publication(rt.publisher, d.event) for d in trace.decisions]
    return AuthorizationProvenanceOut.of(trace, published)
