"""Versioned messages exchanged by MSO Operations and PC Governance."""

from contracts.base import ContractMessage
from contracts.envelope import Actor, Envelope, FeedPage
from contracts.registry import (
    MESSAGES,
    MessageType,
    UnknownMessageError,
    message_model,
    parse_message,
)

__all__ = [
    "MESSAGES",
    "Actor",
    "ContractMessage",
    "Envelope",
    "FeedPage",
    "MessageType",
    "UnknownMessageError",
    "message_model",
    "parse_message",
]
