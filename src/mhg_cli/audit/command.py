"""`mhg audit ...`: verify a service's log offline, print its head, make a signing key."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mhg.audit.heads import Head, check_signature, new_signing_key, signed, signing_key
from mhg.audit.ledger import Ledger
from mhg.audit.verification import Finding, Verdict, verify, verify_head
from mhg.eventstore import StoreLocation
from mhg.settings import AuthSettings, MsoOpsSettings, PcGovernanceSettings
from mhg.witness import witnessed_heads
from mhg_cli.audit.decisions_command import DecisionTopics, add_decisions_command
from mhg_cli.audit.replay_command import add_replay_command
from mhg_cli.progress import progress_bar

DEFAULT_URLS = {
    "mso-ops": lambda: MsoOpsSettings.model_fields["database_url"].default,
    "pc-governance": lambda: PcGovernanceSettings.model_fields["database_url"].default,
}
SETTINGS: dict[str, type[MsoOpsSettings] | type[PcGovernanceSettings]] = {
    "mso-ops": MsoOpsSettings,
    "pc-governance": PcGovernanceSettings,
}
# The Application.name of each service (it names the PostgreSQL event table).
APPLICATION_NAMES = {"mso-ops": "mso_ops", "pc-governance": "pc_governance"}
ENV_URLS = {
    "mso-ops": "MHG_MSO_OPS_DATABASE_URL",
    "pc-governance": "MHG_PC_GOVERNANCE_DATABASE_URL",
}


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    return os.environ.get(ENV_URLS[args.service]) or str(DEFAULT_URLS[args.service]())


def run_verify(args: argparse.Namespace) -> int:
    ledger = Ledger(StoreLocation.parse(database_url(args)), APPLICATION_NAMES[args.service])
    try:
        verdict = _verify_with_progress(ledger, show=sys.stderr.isatty() and not args.json)
        against = _check_against(ledger, args.against) if args.against else None
        witnessed = _check_witnessed(ledger, args) if args.witnessed_in else []
    finally:
        ledger.dispose()
    if against is not None:
        verdict.findings.append(against)
    verdict.findings.extend(witnessed)
    summary = _summary(args.service, verdict)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_human(summary)
    return 0 if verdict.intact else 1


def _verify_with_progress(ledger: Ledger, *, show: bool) -> Verdict:
    if not show:
        return verify(ledger)
    total = ledger.log_head()
    with progress_bar("verifying") as progress:
        task = progress.add_task("verify", total=total)
        return verify(ledger, progress=lambda n: progress.advance(task, n))


def _check_against(ledger: Ledger, path: Path) -> Finding | None:
    saved = json.loads(path.read_text())
    finding = verify_head(ledger, int(saved["position"]), str(saved["link"]))
    if finding is None and saved.get("signature") and not check_signature(saved):
        return Finding(
            int(saved["position"]), "head-mismatch", "the saved head's signature is not valid"
        )
    return finding


def _check_witnessed(ledger: Ledger, args: argparse.Namespace) -> list[Finding]:
    """Every head of this service the peer witnessed must still be in this chain."""
    peer = next(name for name in APPLICATION_NAMES if name != args.service)
    witness = Ledger(StoreLocation.parse(args.witnessed_in), APPLICATION_NAMES[peer])
    try:
        heads = list(witnessed_heads(witness, args.service))
    finally:
        witness.dispose()
    findings = []
    for record, position, link in heads:
        finding = verify_head(ledger, position, link)
        if finding is not None:
            finding.detail += f" (the head {peer} witnessed in its record {record})"
            findings.append(finding)
    return findings


def _summary(service: str, verdict: Verdict) -> dict[str, Any]:
    return {
        "service": service,
        "intact": verdict.intact,
        "records": verdict.records,
        "sealed": verdict.sealed,
        "unsealed": verdict.unsealed,
        "head": {"position": verdict.head_position, "link": verdict.head_link},
        "first_problem": asdict(verdict.findings[0]) if verdict.findings else None,
    }


def _print_human(summary: dict[str, Any]) -> None:
    problem = summary["first_problem"]
    if problem is None:
        head = summary["head"]
        print(
            f"{summary['service']}: intact - {summary['sealed']} sealed records, "
            f"{summary['unsealed']} not yet sealed; head at position {head['position']} "
            f"({(head['link'] or '-')[:16]}...)"
        )
        return
    print(
        f"{summary['service']}: NOT INTACT - first problem at position {problem['position']}: "
        f"{problem['problem']} ({problem['detail']})"
    )


def run_head(args: argparse.Namespace) -> int:
    ledger = Ledger(StoreLocation.parse(database_url(args)), APPLICATION_NAMES[args.service])
    try:
        last = ledger.last_seal()
    finally:
        ledger.dispose()
    if last is None:
        print(f"{args.service}: nothing sealed yet", file=sys.stderr)
        return 1
    head = Head(args.service, last.position, last.link.hex(), ledger.sealed_at(last))
    key = AuthSettings().audit_signing_key or SETTINGS[args.service].from_environment().signing_key
    print(json.dumps(signed(head, signing_key(key) if key else None), indent=2))
    return 0


def run_keygen(_args: argparse.Namespace) -> int:
    print(new_signing_key())
    return 0


def add_commands(commands: Any, decision_topics: DecisionTopics = lambda _: frozenset()) -> None:
    audit = commands.add_parser("audit", help="verify a service's tamper-evident log offline")
    verbs = audit.add_subparsers(dest="audit_command", required=True)
    check = verbs.add_parser(
        "verify", help="walk the whole log against its seals; exit 1 if not intact"
    )
    head = verbs.add_parser(
        "head",
        help="print the chain head, signed (MHG_AUDIT_SIGNING_KEY, else the service's signing key)",
    )
    for parser in (check, head):
        parser.add_argument("--service", required=True, choices=sorted(ENV_URLS))
        parser.add_argument("--database-url", help="instead of the service's configured URL")
    check.add_argument("--against", type=Path, help="a head saved earlier (JSON from /audit/head)")
    check.add_argument(
        "--witnessed-in",
        help="the peer's database URL: every head of this service it witnessed must be in the chain",
    )
    check.add_argument("--json", action="store_true", help="a machine-readable summary")
    check.set_defaults(handler=run_verify)
    head.set_defaults(handler=run_head)
    keygen = verbs.add_parser(
        "keygen", help="print a new Ed25519 signing key for MHG_AUDIT_SIGNING_KEY"
    )
    keygen.set_defaults(handler=run_keygen)
    add_replay_command(verbs, database_url=database_url, names=APPLICATION_NAMES)
    add_decisions_command(
        verbs, database_url=database_url, names=APPLICATION_NAMES, decision_topics=decision_topics
    )
