"""Who did it and why: the metadata every stored event carries.

Domain events take a `Meta` as an ordinary attribute, so that the event log alone
answers "who, acting for which organisation, in which request and conversation".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Org = Literal["mso", "pc", "vendor", "service"]


@dataclass(frozen=True)
class Meta:
    actor_id: str
    actor_role: str
    actor_org: Org
    request_id: str
    correlation_id: str
    causation_id: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meta:
        return cls(**data)

    def caused_by(self, causation_id: str, request_id: str | None = None) -> Meta:
        """The metadata of a reaction: same actor and conversation, new cause."""
        return Meta(
            actor_id=self.actor_id,
            actor_role=self.actor_role,
            actor_org=self.actor_org,
            request_id=request_id or self.request_id,
            correlation_id=self.correlation_id,
            causation_id=causation_id,
        )
