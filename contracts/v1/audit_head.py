"""A service's signed audit-chain head, published for the other service to witness.

Each service publishes its chain head on its feed as it seals (not on every record:
at most once per new history). The other service records each head in its own log,
so that a rewrite of one organization's history is caught by the other's log
(`mhg audit verify --witnessed-in`).
"""

from typing import ClassVar, Literal

from pydantic import Field

from contracts.base import ContractMessage


class AuditHeadPublishedV1(ContractMessage):
    TYPE: ClassVar[str] = "audit-head.published"
    VERSION: ClassVar[int] = 1

    service: Literal["mso-ops", "pc-governance"]
    position: int = Field(ge=1, description="The last sealed position of the service's log")
    link: str = Field(
        pattern="^[0-9a-f]{64}$", description="The chain link (hex SHA-256) sealed there"
    )
    sealed_at: str = Field(max_length=64, description="When that seal was made (ISO 8601)")
    algorithm: Literal["Ed25519"]
    public_key: str = Field(max_length=64, description="The signing key (base64 raw public key)")
    signature: str = Field(
        max_length=128,
        description='Base64 signature over {"link","position","service"} as canonical JSON',
    )
