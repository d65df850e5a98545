"""Base classes shared by every contract model."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class ContractModel(BaseModel):
    """Immutable, and tolerant of fields added later within a major version."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class ContractMessage(ContractModel):
    """Payload of a versioned message, identified by (TYPE, VERSION)."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]
