"""Configuration of one service, from the environment (`MHG_<SERVICE>_...`) or explicit values."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Literal, Self

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

ServiceName = Literal["mso-ops", "pc-governance"]
VAR_DIR = Path("var")


def development_secret(var_dir: Path = VAR_DIR) -> str:
    """The secret to sign tokens with when MHG_AUTH_SECRET is unset: generated once into var/."""
    path = var_dir / "dev-auth-secret"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    log.warning(
        "MHG_AUTH_SECRET is not set: using the development secret in %s. "
        "Never run like this in production.",
        path,
    )
    return path.read_text().strip()


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_", extra="ignore")

    auth_secret: str | None = Field(default=None, min_length=32)
    audit_signing_key: str | None = Field(
        default=None, description="base64 Ed25519 seed that signs chain heads (mhg audit keygen)"
    )

    def secret(self) -> str:
        return self.auth_secret or development_secret()


class ServiceSettings(BaseSettings):
    """What one service needs to run. Subclasses fix the environment prefix."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str
    auth_secret: str = Field(min_length=32)
    peer_feed_url: str
    follow_peer: bool = True
    run_projections: bool = True
    seal: bool = True
    run_chores: bool = True  # the context's periodic work, e.g. lapsing due credentials
    audit_signing_key: str | None = None
    poll_interval: float = Field(default=0.5, gt=0, le=60)

    @classmethod
    def from_environment(cls) -> Self:
        """Settings from `MHG_<SERVICE>_*`, signing with MHG_AUTH_SECRET (or the dev secret)."""
        platform = AuthSettings()
        return cls(auth_secret=platform.secret(), audit_signing_key=platform.audit_signing_key)


class MsoOpsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_MSO_OPS_", extra="ignore")

    database_url: str = "sqlite:///var/mso_ops.sqlite"
    peer_feed_url: str = "http://127.0.0.1:8002/contracts/v1/feed"


class PcGovernanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_PC_GOVERNANCE_", extra="ignore")

    database_url: str = "sqlite:///var/pc_governance.sqlite"
    peer_feed_url: str = "http://127.0.0.1:8001/contracts/v1/feed"
