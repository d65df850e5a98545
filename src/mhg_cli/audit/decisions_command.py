"""`mhg audit verify-decisions`: the consumer's facts against the producer's signatures."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mhg.audit.decisions import verify_decisions
from mhg.audit.ledger import Ledger
from mhg.eventstore import StoreLocation
from mhg.signing import TrustedKeys

PEERS = {"mso-ops": "pc-governance", "pc-governance": "mso-ops"}

DecisionTopics = Callable[[str], frozenset[str]]


def _trusted(paths: list[Path]) -> TrustedKeys:
    return TrustedKeys.from_texts(
        part for path in paths for part in path.read_text().replace("\n", ",").split(",")
    )


def add_decisions_command(
    verbs: Any,
    *,
    database_url: Callable[[argparse.Namespace], str],
    names: dict[str, str],
    decision_topics: DecisionTopics,
) -> None:
    def run(args: argparse.Namespace) -> int:
        producer = PEERS[args.service]
        ledger = Ledger(StoreLocation.parse(database_url(args)), names[args.service])
        try:
            verdict = verify_decisions(
                ledger,
                _trusted(args.peer_key),
                consumer=args.service,
                producer=producer,
                decision_topics=decision_topics(args.service),
            )
        finally:
            ledger.dispose()
        summary = {
            "service": args.service,
            "producer": producer,
            "intact": verdict.intact,
            "received_messages": verdict.received,
            "facts_resting_on_messages": verdict.facts,
            "findings": [asdict(finding) for finding in verdict.findings],
        }
        if args.json:
            print(json.dumps(summary, indent=2))
        elif verdict.intact:
            print(
                f"{args.service}: every fact resting on {producer} ({verdict.facts}) rests on "
                f"one of {verdict.received} messages {producer} signed"
            )
        else:
            for finding in verdict.findings:
                print(
                    f"{args.service}: record at position {finding.position}: "
                    f"{finding.problem} ({finding.detail})"
                )
        return 0 if verdict.intact else 1

    check = verbs.add_parser(
        "verify-decisions",
        help="re-verify that every fact resting on the peer's messages rests on one it signed",
    )
    check.add_argument("--service", required=True, choices=sorted(PEERS))
    check.add_argument("--database-url", help="instead of the service's configured URL")
    check.add_argument(
        "--peer-key",
        type=Path,
        action="append",
        required=True,
        help="a file with the peer's base64 Ed25519 public key(s) (repeat for rotated keys)",
    )
    check.add_argument("--json", action="store_true", help="a machine-readable summary")
    check.set_defaults(handler=run)
