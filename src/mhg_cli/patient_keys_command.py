"""`mhg patient-keys rewrap SERVICE`: rotate the master key without touching the log.

Configure MHG_PATIENT_MASTER_KEYS as "NEW,OLD" (newest first), run `rewrap`, and every
data key in the service's key store is wrapped under NEW; then OLD can be dropped from the
configuration and destroyed (ADR 0031). Safe while the service runs with both keys.
"""

from __future__ import annotations

import argparse
import sys

from mhg.patient_keys import StoredPatientKeys
from mhg_cli.projection_command import OpenRuntime


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], open_runtime: OpenRuntime
) -> None:
    group = commands.add_parser("patient-keys", help="patients' data keys: master key rotation")
    sub = group.add_subparsers(dest="patient_keys_command", required=True)
    rewrap = sub.add_parser(
        "rewrap", help="wrap every data key under the first of MHG_PATIENT_MASTER_KEYS"
    )
    rewrap.add_argument("service", choices=["mso-ops", "pc-governance"])
    rewrap.add_argument("--database-url", help="instead of MHG_<SERVICE>_DATABASE_URL")
    rewrap.set_defaults(handler=_rewrap, open_runtime=open_runtime)


def _rewrap(args: argparse.Namespace) -> int:
    with args.open_runtime(args, False) as runtime:
        keys = runtime.application.patient_sealing.keys
        if not isinstance(keys, StoredPatientKeys):
            print(f"{args.service}: its patient keys are not in its database", file=sys.stderr)
            return 2
        moved = keys.rewrap()
        master = keys.masters.current.id
    print(f"{args.service}: {moved} data keys rewrapped under master key {master}")
    return 0
