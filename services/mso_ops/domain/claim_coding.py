"""Which PC coding-rules version a claim was coded under (decision right
`coding_rules_and_fee_schedule`): the version in force on the claim's service date for its
service line, cited as the claim is submitted and saved with it, never changed after.

A record of its own beside the claim (keyed by the claim's id), so that the claim's own
events and versions stay what they were.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

_NAMESPACE = uuid.UUID("6d2e8f14-0b7a-4c39-8e51-f3a9c2d7b604")


class ClaimCoding(Aggregate):
    @staticmethod
    def create_id(claim_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(claim_id))

    @classmethod
    def cite(cls, *, claim_id: UUID, citation: dict[str, Any], meta: Meta) -> ClaimCoding:
        return cls._create(
            cls.Cited, id=cls.create_id(claim_id), claim_id=claim_id, citation=citation, meta=meta
        )

    class Cited(Aggregate.Created):
        claim_id: UUID
        citation: dict[str, Any]
        meta: Meta

    @event(Cited)
    def __init__(self, claim_id: UUID, citation: dict[str, Any], meta: Meta) -> None:
        self.claim_id = claim_id
        self.citation = citation
