"""`mhg audit replay`: a service's read models as of a moment, from its log alone.

    mhg audit replay --service mso-ops --as-of 2026-10-31T23:59:59Z --out DIR [--serve]

Reads the service's event log (never writes it) and writes into DIR a copy of the log
up to that moment and every read model rebuilt from it (`mhg.replay`). With `--serve`
it then starts the service on DIR, read-only (`mhg.replay_server`), to be asked the
questions one would have asked it then.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mhg.eventstore import StoreLocation
from mhg.replay import Replay, ReplayRefused, ReplayResult, replay_location
from mhg.replay_server import read_only
from mhg.settings import AuthSettings, MsoOpsSettings, PcGovernanceSettings, ServiceSettings
from mhg_cli.progress import progress_bar
from mhg_cli.services import SERVICES, service_module

SETTINGS: dict[str, type[ServiceSettings]] = {
    "mso-ops": MsoOpsSettings,
    "pc-governance": PcGovernanceSettings,
}


def moment(text: str) -> datetime:
    """An ISO 8601 moment with its offset (`Z` for UTC)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date-time") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. {text}Z")
    return value.astimezone(UTC)


def add_replay_command(
    verbs: Any, *, database_url: Callable[[argparse.Namespace], str], names: dict[str, str]
) -> None:
    replay = verbs.add_parser(
        "replay",
        help="rebuild every read model as of a moment, from the log alone, into a fresh DIR",
    )
    replay.add_argument("--service", required=True, choices=sorted(SETTINGS))
    replay.add_argument("--database-url", help="instead of the service's configured URL")
    replay.add_argument("--as-of", type=moment, help="ISO 8601 with offset (default: now)")
    replay.add_argument("--out", type=Path, required=True, help="a fresh directory")
    replay.add_argument("--serve", action="store_true", help="then serve it, read-only")
    replay.add_argument("--host", default="127.0.0.1")
    replay.add_argument("--port", type=int, default=0, help="default: the service's port")
    replay.set_defaults(handler=lambda args: run_replay(args, database_url(args), names))


def run_replay(args: argparse.Namespace, source_url: str, names: dict[str, str]) -> int:
    module = service_module(args.service)
    as_of: datetime = args.as_of or datetime.now(UTC)
    try:
        job = Replay(
            module.PARTS,
            names[args.service],
            StoreLocation.parse(source_url),
            args.out,
            as_of=as_of,
        )
        result = _run_with_progress(job, show=sys.stderr.isatty())
    except ReplayRefused as error:
        print(f"mhg: {error}", file=sys.stderr)  # noqa: T201
        return 2
    _report(args.service, as_of, result, job)
    if args.serve:
        return _serve(args, module, names[args.service], as_of)
    return 0


def _run_with_progress(job: Replay, *, show: bool) -> ReplayResult:
    if not show:
        return job.run()
    with progress_bar("replaying") as bar:
        task = bar.add_task("replay", total=None)
        return job.run(
            progress=lambda scanned, head: bar.update(task, completed=scanned, total=head)
        )


def _report(service: str, as_of: datetime, result: ReplayResult, job: Replay) -> None:
    print(  # noqa: T201
        f"{service}: {result.replayed:,} events recorded up to {as_of.isoformat()} "
        f"replayed ({result.scanned:,} read), log position {result.position:,}, "
        f"in {result.seconds:.2f} s: {result.events_per_second:,.0f} events/s"
    )
    print(f"read models: {job.read_path}")  # noqa: T201
    print(f"log copy:    {job.log_path}")  # noqa: T201


def _serve(args: argparse.Namespace, module: Any, name: str, as_of: datetime) -> int:
    import uvicorn  # noqa: PLC0415 - only a served replay needs it

    settings = SETTINGS[args.service](
        database_url=str(replay_location(args.out, name).url),
        auth_secret=AuthSettings().secret(),
        follow_peer=False,
        run_projections=False,
        seal=False,
    )
    app = read_only(module.create_app(settings), as_of.isoformat())
    port = args.port or SERVICES[args.service][1]
    print(  # noqa: T201
        f"serving {args.service} as of {as_of.isoformat()}, read-only: http://{args.host}:{port}"
    )
    uvicorn.run(app, host=args.host, port=port, log_level="warning")
    return 0
