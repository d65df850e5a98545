"""`mhg token` and `mhg keys`: development tokens, signed with the acting org's own key.

Each organisation's development keys live in `var/keys/<org>/` (`token-keys.json`
private, `token-jwks.json` public); `mhg run` creates them and gives each service
process only its own organisation's private keys and the peer's public ones
(`service_environment`). A token names its organisation's issuer and, unless `--aud`
says otherwise, the audiences of the services that role acts at.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from mhg import tokenkeys
from mhg.auth import ROLE_ORG, Role, issue_token
from mhg.meta import Org
from mhg.settings import MsoOpsSettings, PcGovernanceSettings, ServiceSettings, key_directory

ENV_PREFIX = {"mso-ops": "MHG_MSO_OPS_", "pc-governance": "MHG_PC_GOVERNANCE_"}
ORG_SERVICE = {"mso": "mso-ops", "pc": "pc-governance"}
DEFAULTS: dict[str, type[ServiceSettings]] = {
    "mso-ops": MsoOpsSettings,
    "pc-governance": PcGovernanceSettings,
}


def _setting(service: str, name: str) -> str:
    """A service's identity setting from its environment, else its default."""
    value = os.environ.get(ENV_PREFIX[service] + name.upper())
    return value or str(DEFAULTS[service].model_fields[name].default)


def ensure_development_keys() -> None:
    for org in ORG_SERVICE:
        tokenkeys.ensure(key_directory(org))


def service_environment(service: str, base: dict[str, str]) -> dict[str, str]:
    """What one service process is given: no setting of the other service at all, its own
    organisation's private keys and the peer organisation's public ones."""
    own = ENV_PREFIX[service]
    env = {
        name: value
        for name, value in base.items()
        if not any(name.startswith(p) for p in ENV_PREFIX.values() if p != own)
    }
    org = "mso" if service == "mso-ops" else "pc"
    peer = "pc" if org == "mso" else "mso"
    env.setdefault(own + "TOKEN_KEYS_FILE", str(key_directory(org) / tokenkeys.TOKEN_KEYS))
    env.setdefault(own + "PEER_JWKS", str(key_directory(peer) / tokenkeys.TOKEN_JWKS))
    return env


def _signer(role: Role, org: Org, subject: str) -> str:
    """The service whose organisation vouches for this identity."""
    if org in ORG_SERVICE:
        return ORG_SERVICE[org]
    if role == Role.SERVICE:  # a service's credential is signed by its own organisation
        return subject if subject in ENV_PREFIX else "pc-governance"
    return "mso-ops"  # vendors are the MSO's to vouch for


def development_token(
    role: Role,
    subject: str,
    *,
    org: Org | None = None,
    sites: tuple[str, ...] = (),
    audiences: tuple[str, ...] = (),
    ttl_seconds: int = 8 * 3600,
) -> str:
    the_org: Org = org or sorted(ROLE_ORG[role])[0]
    if the_org not in ROLE_ORG[role]:
        msg = f"role {role} does not act for org {the_org}"
        raise ValueError(msg)
    signer = _signer(role, the_org, subject)
    if not audiences:
        peer = _setting(signer, "peer_audience")
        own = _setting(signer, "audience")
        audiences = (peer,) if role == Role.SERVICE else (own, peer)
        if role == Role.VENDOR:
            audiences = (own,)
    path = Path(_setting(signer, "token_keys_file"))
    default = DEFAULTS[signer].model_fields["token_keys_file"].default
    ring = tokenkeys.ensure(path.parent) if path == default else tokenkeys.load(path)
    return issue_token(
        ring.signing,
        issuer=_setting(signer, "issuer"),
        audience=audiences,
        subject=subject,
        org=the_org,
        role=role,
        ttl_seconds=ttl_seconds,
        sites=sites,
    )


def _token(args: argparse.Namespace) -> int:
    token = development_token(
        Role(args.role),
        args.sub,
        org=args.org,
        sites=tuple(args.site or ()),
        audiences=tuple(args.aud or ()),
        ttl_seconds=args.ttl,
    )
    print(token)  # noqa: T201
    return 0


def _keys(args: argparse.Namespace) -> int:
    directory = key_directory(args.org)
    if args.keys_command == "init":
        ring = tokenkeys.ensure(directory)
    elif args.keys_command == "rotate":
        ring = tokenkeys.ensure(directory).rotated()
        tokenkeys.save(ring, directory)
    else:
        ring = tokenkeys.load(directory / tokenkeys.TOKEN_KEYS).retired(args.kid)
        tokenkeys.save(ring, directory)
    kids = ", ".join(key.kid for key in ring.keys)
    print(f"{args.org}: keys {kids} in {directory}; {ring.signing.kid} signs")  # noqa: T201
    return 0


def add_commands(commands: Any) -> None:
    token = commands.add_parser("token", help="print a development token")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--org", choices=["mso", "pc", "vendor", "service"])
    token.add_argument("--sub", required=True)
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    token.add_argument("--site", action="append", help="a site a vendor token covers (repeat)")
    token.add_argument(
        "--aud", action="append", help="an audience (repeat; default: where the role acts)"
    )
    token.set_defaults(handler=_token)

    keys = commands.add_parser("keys", help="an organisation's development token keys")
    verbs = keys.add_subparsers(dest="keys_command", required=True)
    for verb, text in (
        ("init", "create the keys if there are none"),
        ("rotate", "add a new signing key; the old ones stay published"),
        ("retire", "remove a key (once no token it signed is still valid)"),
    ):
        parser = verbs.add_parser(verb, help=text)
        parser.add_argument("--org", required=True, choices=sorted(ORG_SERVICE))
        if verb == "retire":
            parser.add_argument("--kid", required=True)
        parser.set_defaults(handler=_keys)
