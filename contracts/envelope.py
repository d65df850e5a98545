"""The envelope every message travels in, and a page of a producer's feed."""

from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel
from contracts.registry import parse_message


class Actor(ContractModel):
    id: str = Field(min_length=1, max_length=128)
    role: str = Field(min_length=1, max_length=64)
    org: Literal["mso", "pc", "vendor", "service"]


class Envelope(ContractModel):
    message_id: UUID
    type: str = Field(min_length=1, max_length=128)
    version: int = Field(ge=1, description="Major version of the payload schema.")
    producer: Literal["mso-ops", "pc-governance"]
    position: int = Field(ge=1, description="Position in the producer's feed.")
    occurred_at: AwareDatetime
    correlation_id: str = Field(min_length=1, max_length=128)
    causation_id: str = Field(min_length=1, max_length=128)
    actor: Actor
    payload: dict[str, Any]
    key_id: str | None = Field(
        default=None,
        max_length=64,
        description="The producer's signing key (added within v1, optional).",
    )
    signature: str | None = Field(
        default=None,
        max_length=128,
        description=(
            "Base64 Ed25519 signature by the producer over the canonical envelope: every "
            "field but this one, keys sorted, no whitespace, UTF-8 (added within v1, optional)."
        ),
    )

    def typed_payload(self) -> ContractMessage:
        """The payload validated by its registered model; raises UnknownMessageError."""
        return parse_message(self)


class FeedPage(ContractModel):
    """Messages after a position, in feed order.

    `next_after` is the `after` to request next; it equals the request's `after`
    when the page is empty. `head` is the producer's highest position, 0 if none.
    """

    messages: list[Envelope]
    next_after: int = Field(ge=0)
    head: int = Field(ge=0)
