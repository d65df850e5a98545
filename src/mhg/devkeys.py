"""Development signing keys, one per organization, generated once under var/keys/<org>/.

`signing.key` (mode 0600) holds the base64 Ed25519 seed that signs the organization's
contract messages and chain heads; `signing.pub` its public half, which the peer
service trusts. A deployment configures its own keys instead (ADR 0015).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mhg.audit.heads import new_signing_key
from mhg.signing import SigningKey

log = logging.getLogger(__name__)

VAR_DIR = Path("var")
ORGS = {"mso-ops": "mso", "pc-governance": "pc"}


def key_paths(org: str, var_dir: Path = VAR_DIR) -> tuple[Path, Path]:
    folder = var_dir / "keys" / org
    return folder / "signing.key", folder / "signing.pub"


def development_signing_key(org: str, var_dir: Path = VAR_DIR) -> SigningKey:
    """The organization's development key, generated on first use."""
    private, public = key_paths(org, var_dir)
    if not private.exists():
        _create_once(private, new_signing_key())
    key = SigningKey.from_text(private.read_text())
    if not public.exists() or public.read_text().strip() != key.public_text:
        staged = public.with_name(f"{public.name}.{os.getpid()}")
        staged.write_text(key.public_text)
        staged.replace(public)
    return key


def _create_once(path: Path, content: str) -> None:
    """Write a file whole, unless another process got there first (two services starting)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f"{path.name}.{os.getpid()}")
    staged.touch(mode=0o600)
    staged.write_text(content)
    try:
        os.link(staged, path)  # atomic: fails if the file exists
    except FileExistsError:
        pass
    finally:
        staged.unlink()


def development_keys(service: str, var_dir: Path = VAR_DIR) -> tuple[str, str]:
    """(own private seed, peer's public key) for a service run in development."""
    own = ORGS[service]
    peer = next(org for name, org in ORGS.items() if name != service)
    log.warning(
        "no signing key configured for %s: signing with the development key in %s. "
        "Never run like this in production (ADR 0015).",
        service,
        key_paths(own, var_dir)[0],
    )
    development_signing_key(own, var_dir)
    peer_key = development_signing_key(peer, var_dir)
    return key_paths(own, var_dir)[0].read_text().strip(), peer_key.public_text
    # (the peer's private half exists on a development machine only; never in production)


ENV_PREFIXES = {"mso-ops": "MHG_MSO_OPS_", "pc-governance": "MHG_PC_GOVERNANCE_"}


def run_environment(service: str, base: dict[str, str], var_dir: Path = VAR_DIR) -> dict[str, str]:
    """The environment `mhg run` starts a service with: its own private key only.

    Keys already configured in the environment are kept; otherwise both organizations'
    development keys are generated once, and this service gets its own seed and the
    peer's public key (never the peer's seed)."""
    prefix = ENV_PREFIXES[service]
    env = dict(base)
    if env.get(f"{prefix}SIGNING_KEY") and env.get(f"{prefix}PEER_PUBLIC_KEYS"):
        return env
    for org in ORGS.values():
        development_signing_key(org, var_dir)
    own = ORGS[service]
    peer = next(org for name, org in ORGS.items() if name != service)
    env.setdefault(f"{prefix}SIGNING_KEY", key_paths(own, var_dir)[0].read_text().strip())
    env.setdefault(f"{prefix}PEER_PUBLIC_KEYS", key_paths(peer, var_dir)[1].read_text().strip())
    return env
