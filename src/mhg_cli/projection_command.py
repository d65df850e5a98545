"""`mhg projections ...`: see each read model's position, lag and failure; retry or rebuild one.

`retry` and `rebuild` are safe while the service runs: a projection's batches take its
tracking row's lock, so two runners never apply one event twice. While `rebuild`
replays, that read model is incomplete and `/readyz` says it lags.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from rich.console import Console
from rich.table import Table

from mhg.projection_runner import UnknownProjection
from mhg.runtime import ServiceRuntime
from mhg_cli.progress import progress_bar

OpenRuntime = Callable[[argparse.Namespace, bool], AbstractContextManager[ServiceRuntime]]
"""The CLI's way to open a service's runtime (`mhg_cli.main.service_runtime`): the
kernel names no context; the CLI, the composition root, does."""


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], open_runtime: OpenRuntime
) -> None:
    group = commands.add_parser("projections", help="read models: status, retry, rebuild")
    sub = group.add_subparsers(dest="projections_command", required=True)
    status = sub.add_parser("status", help="each projection's position, lag and failure")
    retry = sub.add_parser("retry", help="apply a failed projection again from its failed event")
    rebuild = sub.add_parser("rebuild", help="drop a projection's tables and replay the log")
    for parser in (status, retry, rebuild):
        parser.add_argument("service", choices=["mso-ops", "pc-governance"])
        parser.add_argument("--database-url", help="instead of MHG_<SERVICE>_DATABASE_URL")
    for parser in (retry, rebuild):
        parser.add_argument("name", help="the projection (see `mhg projections status`)")
    for parser, handler in ((status, _status), (retry, _retry), (rebuild, _rebuild)):
        parser.set_defaults(handler=handler, open_runtime=open_runtime)


def _status(args: argparse.Namespace) -> int:
    with args.open_runtime(args, False) as runtime:
        head = runtime.application.head_position()
        statuses = runtime.projections.statuses()
    table = Table(title=f"{args.service}: log head {head}")
    for column in ("projection", "position", "lag", "failure"):
        table.add_column(column, justify="right" if column in ("position", "lag") else "left")
    for s in statuses:
        failure = s.failure
        text = (
            ""
            if failure is None
            else (
                f"at {failure.position} ({failure.topic}): {failure.error_type}: {failure.message}"
            )
        )
        lag = f"{s.lag} (read store ahead of log)" if s.lag < 0 else str(s.lag)
        table.add_row(s.name, str(s.position), lag, text)
    Console(width=160).print(table)
    return 1 if any(s.failure is not None or s.lag < 0 for s in statuses) else 0


def _retry(args: argparse.Namespace) -> int:
    return _run(args, lambda rt, progress: rt.projections.retry(args.name, progress), "retried")


def _rebuild(args: argparse.Namespace) -> int:
    return _run(
        args, lambda rt, progress: rt.projections.rebuild_one(args.name, progress), "rebuilt"
    )


def _run(
    args: argparse.Namespace,
    action: Callable[[ServiceRuntime, Callable[[int, int], None]], int],
    verb: str,
) -> int:
    with args.open_runtime(args, True) as runtime:
        try:
            runtime.projections.named(args.name)
        except UnknownProjection as error:
            print(f"mhg: {error}", file=sys.stderr)
            return 2
        started = time.perf_counter()
        with _progress(show=sys.stderr.isatty()) as progress:
            applied = action(runtime, progress)
        seconds = time.perf_counter() - started
        [status] = [s for s in runtime.projections.statuses() if s.name == args.name]
    print(f"{args.service} {args.name}: {verb}, {applied} events applied in {seconds:.2f} s")
    if status.failure is not None:
        failure = status.failure
        print(
            f"{args.name} stopped again at position {failure.position} ({failure.topic}): "
            f"{failure.error_type}: {failure.message}"
        )
        return 1
    return 0


@contextmanager
def _progress(*, show: bool) -> Iterator[Callable[[int, int], None]]:
    """Progress through the log, on a terminal; a line every 10 s otherwise."""
    if not show:
        last = [time.monotonic()]

        def line(position: int, head: int) -> None:
            if time.monotonic() - last[0] >= 10:
                last[0] = time.monotonic()
                print(f"  at position {position} of {head}", file=sys.stderr)

        yield line
        return
    with progress_bar("replaying") as bar:
        task = bar.add_task("replay", total=None)

        def update(position: int, head: int) -> None:
            bar.update(task, completed=position, total=head)

        yield update
