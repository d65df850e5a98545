"""Configuration of one service, from the environment (`MHG_<SERVICE>_...`) or explicit values."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Literal, Self

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mhg.devkeys import development_keys
from mhg.storebounds import DEFAULT_STORE_TIMEOUT
from mhg.trust import IssuerOrg, TrustedIssuer

log = logging.getLogger(__name__)

ServiceName = Literal["mso-ops", "pc-governance"]
VAR_DIR = Path("var")


def key_directory(org: str, var_dir: Path = VAR_DIR) -> Path:
    """Where `mhg run` keeps an organisation's development keys."""
    return var_dir / "keys" / org


def _development_value(path: Path, variable: str, make: Callable[[], str]) -> str:
    """A development secret generated once into var/ when its variable is unset."""
    if not path.exists():  # made whole beside it, then linked: processes starting at once agree
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(make())
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    log.warning(
        "%s is not set: using the development value in %s. Never run like this in production.",
        variable,
        path,
    )
    return path.read_text().strip()


def development_secret(var_dir: Path = VAR_DIR) -> str:
    """The key of patient pseudonyms when MHG_AUTH_SECRET is unset: generated once into var/."""
    return _development_value(
        var_dir / "dev-auth-secret", "MHG_AUTH_SECRET", lambda: secrets.token_urlsafe(48)
    )


def development_master_key(var_dir: Path = VAR_DIR) -> str:
    """The master key of patient data keys when MHG_PATIENT_MASTER_KEYS is unset (ADR 0031)."""
    return _development_value(
        var_dir / "dev-patient-master-key",
        "MHG_PATIENT_MASTER_KEYS",
        lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    )


class MissingSigningKey(ValueError):
    """A production service started without its signing key or its peer's public keys."""


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_", extra="ignore")

    auth_secret: str | None = Field(
        default=None,
        min_length=32,
        description="keys patient pseudonyms in the access log; tokens are signed per org",
    )
    audit_signing_key: str | None = Field(
        default=None, description="base64 Ed25519 seed that signs chain heads (mhg audit keygen)"
    )
    patient_master_keys: str | None = Field(
        default=None,
        description="base64 AES-256 keys wrapping patients' data keys, newest first (ADR 0031)",
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to start without configured signing keys (ADR 0015)",
    )

    def secret(self) -> str:
        return self.auth_secret or development_secret()

    def master_keys(self, *, holds_patient_data: bool) -> str:
        if self.patient_master_keys:
            return self.patient_master_keys
        if not holds_patient_data:
            return ""  # nothing is ever sealed there
        if self.environment == "production":
            raise MissingSigningKey("set MHG_PATIENT_MASTER_KEYS: production never generates one")
        return development_master_key()


class ServiceSettings(BaseSettings):
    """What one service needs to run. Subclasses fix the environment prefix."""

    model_config = SettingsConfigDict(extra="ignore")
    service_name: ClassVar[str]
    holds_patient_data: ClassVar[bool] = False

    database_url: str
    auth_secret: str = Field(min_length=32, description="keys patient pseudonyms (access log)")
    patient_master_keys: str = Field(
        default="",
        description="base64 keys wrapping patients' data keys, newest first; unset: one derived "
        "from auth_secret (tests only: from_environment always sets it)",
    )
    peer_feed_url: str
    org: IssuerOrg
    issuer: str = Field(description="the issuer this organisation's own tokens name")
    audience: str = Field(description="the `aud` a token must carry to be accepted here")
    token_keys_file: Path = Field(description="this organisation's private token keys (JWKS)")
    peer_issuer: str
    peer_audience: str
    peer_jwks: str = Field(description="the peer organisation's public JWKS: a file or a URL")
    trusted_issuers: list[TrustedIssuer] = Field(
        default_factory=list, description="further issuers, e.g. an OpenID Connect provider"
    )
    jwks_lifespan: float = Field(default=300, gt=0, description="seconds a fetched JWKS is kept")
    jwks_refresh_cooldown: float = Field(
        default=30, ge=0, description="at most one refetch per this many seconds on unknown kids"
    )
    follow_peer: bool = True
    run_projections: bool = True
    seal: bool = True
    run_chores: bool = True  # the context's periodic work, e.g. lapsing due credentials
    audit_signing_key: str | None = None
    signing_key: str | None = Field(
        default=None, description="base64 Ed25519 seed signing this service's messages and heads"
    )
    peer_public_keys: str = Field(
        default="", description="the peer's base64 Ed25519 public keys, comma-separated"
    )
    poll_interval: float = Field(default=0.5, gt=0, le=60)
    read_after_write_wait: float = Field(
        default=2.0,
        ge=0,
        le=30,
        description="seconds a command's answer waits for the read models to show it (ADR 0023)",
    )
    head_interval: float = Field(
        default=60.0, gt=0, description="seconds between signed heads published for the peer"
    )
    peer_unreachable_after: float = Field(
        default=5.0, ge=0, description="/readyz is 503 once the peer feed has failed this long"
    )
    max_projection_lag: int = Field(
        default=1000, ge=0, description="/readyz is 503 while a projection is further behind"
    )
    store_timeout: float = Field(
        default=DEFAULT_STORE_TIMEOUT,
        ge=1,
        le=120,
        description="seconds a request may wait for its store before it gets 503",
    )

    @classmethod
    def from_environment(cls) -> Self:
        """Settings from `MHG_<SERVICE>_*`, signing with MHG_AUTH_SECRET (or the dev secret)."""
        platform = AuthSettings()
        settings = cls(
            auth_secret=platform.secret(),
            audit_signing_key=platform.audit_signing_key,
            patient_master_keys=platform.master_keys(holds_patient_data=cls.holds_patient_data),
        )
        if settings.signing_key and settings.peer_public_keys:
            return settings
        if platform.environment == "production":
            raise MissingSigningKey(
                f"{cls.service_name}: set the signing key and the peer's public keys "
                "(SIGNING_KEY, PEER_PUBLIC_KEYS); production never uses development keys"
            )
        own, peer = development_keys(cls.service_name)
        return settings.model_copy(
            update={
                "signing_key": settings.signing_key or own,
                "peer_public_keys": settings.peer_public_keys or peer,
            }
        )


class MsoOpsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_MSO_OPS_", extra="ignore")
    service_name: ClassVar[str] = "mso-ops"
    holds_patient_data: ClassVar[bool] = True

    database_url: str = "sqlite:///var/mso_ops.sqlite"
    peer_feed_url: str = "http://127.0.0.1:8002/contracts/v1/feed"
    org: IssuerOrg = "mso"
    issuer: str = "urn:mhg:mso"
    audience: str = "mso-ops"
    token_keys_file: Path = key_directory("mso") / "token-keys.json"
    peer_issuer: str = "urn:mhg:pc"
    peer_audience: str = "pc-governance"
    peer_jwks: str = str(key_directory("pc") / "token-jwks.json")


class PcGovernanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MHG_PC_GOVERNANCE_", extra="ignore")
    service_name: ClassVar[str] = "pc-governance"

    database_url: str = "sqlite:///var/pc_governance.sqlite"
    peer_feed_url: str = "http://127.0.0.1:8001/contracts/v1/feed"
    org: IssuerOrg = "pc"
    issuer: str = "urn:mhg:pc"
    audience: str = "pc-governance"
    token_keys_file: Path = key_directory("pc") / "token-keys.json"
    peer_issuer: str = "urn:mhg:mso"
    peer_audience: str = "mso-ops"
    peer_jwks: str = str(key_directory("mso") / "token-jwks.json")
