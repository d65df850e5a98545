"""`mhg`: run the services, issue development tokens, export the OpenAPI documents."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mhg.devkeys import run_environment
from mhg.logs import logging_config
from mhg.runtime import ServiceRuntime
from mhg.settings import AuthSettings
from mhg_cli.audit.command import add_commands as add_audit_commands
from mhg_cli.demo.command import Plan, run_seed
from mhg_cli.demo.command import add_commands as add_demo_commands
from mhg_cli.patient_keys_command import add_commands as add_patient_key_commands
from mhg_cli.projection_command import add_commands as add_projection_commands
from mhg_cli.services import OPENAPI_FILES, SERVICES, peer_decision_topics
from mhg_cli.serving import StoresInUse, serving
from mhg_cli.token_command import add_commands as add_token_commands
from mhg_cli.token_command import ensure_development_keys, service_environment

# The admin workspace (ADR 0030), served beside the services once `make admin` has built it.
ADMIN_BUILT = Path(__file__).resolve().parents[2] / "admin" / "web" / "dist" / "index.html"
ADMIN_PORT = 8000


def _store_ready(service: str, workers: int) -> bool:
    """Start-up against an unreachable store, or several workers on SQLite: one clear line
    and exit 2, no stack trace."""
    from mhg.eventstore import StoreLocation
    from mhg.settings import MsoOpsSettings, PcGovernanceSettings
    from mhg.storebounds import StoreUnreachable, check_reachable

    settings_class = MsoOpsSettings if service == "mso-ops" else PcGovernanceSettings
    settings = settings_class(auth_secret="-" * 32)  # the store settings only; no secret needed
    location = StoreLocation.parse(settings.database_url, settings.store_timeout)
    if workers > 1 and location.is_sqlite:
        # SQLite is the one-process store: no advisory locks share the background work out,
        # and every process would run it (ADR 0022). Several processes need PostgreSQL.
        print(
            f"mhg serve {service}: --workers {workers} needs a PostgreSQL store; "
            "an SQLite store is served by one process (--workers 1)",
            file=sys.stderr,
        )
        return False
    try:
        check_reachable(location.url, location.timeout)
    except StoreUnreachable as error:
        print(f"mhg serve {service}: {error}", file=sys.stderr)
        return False
    return True


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if not _store_ready(args.service, args.workers):
        return 2

    factory, default_port = SERVICES[args.service]
    uvicorn.run(
        factory,
        factory=True,
        host=args.host,
        port=args.port or default_port,
        loop="uvloop",
        http="httptools",
        log_level=args.log_level,
        log_config=logging_config(args.log_format, args.log_level),
        access_log=False,  # mhg.access logs each request by route template (mhg.logs)
        workers=args.workers,
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    """Both services (and the admin workspace, if built) as processes, until Ctrl-C; with `--demo`, after the demo year."""
    if args.demo:
        code = run_seed(Plan(sites=4, months=12, now=datetime.now(UTC)))
        if code != 0:
            return code
    try:
        with serving():
            return _run_services(args)
    except StoresInUse as error:
        print(f"mhg run: {error}", file=sys.stderr)
        return 2


def _run_services(args: argparse.Namespace) -> int:
    AuthSettings().secret()  # create the development secret once, before both start
    ensure_development_keys()  # one token key per organisation, each given only to its own
    processes = []
    for name, (_, port) in SERVICES.items():
        command = [
            sys.executable,
            "-m",
            "mhg_cli",
            "serve",
            name,
            "--host",
            args.host,
            "--port",
            str(port),
            "--log-format",
            args.log_format,
        ]
        processes.append(
            subprocess.Popen(
                command, env=run_environment(name, service_environment(name, dict(os.environ)))
            )
        )
    print("MSO Operations  http://127.0.0.1:8001/docs")
    print("PC Governance   http://127.0.0.1:8002/docs")
    if ADMIN_BUILT.is_file():
        admin = [sys.executable, "-m", "admin", "--host", args.host, "--port", str(ADMIN_PORT)]
        processes.append(subprocess.Popen(admin))
        print(f"Admin workspace http://127.0.0.1:{ADMIN_PORT}/  (sign in with a role and a name)")
    else:
        print("Admin workspace: not built (`make run` builds it: npm ci, then npm run build)")
    print("A development token:  .venv/bin/mhg token --role medical_director --sub dr-lee")
    if not args.demo:
        print("A demo year:  make run DEMO=1  (seeds both services first; again: nothing twice)")
    print("Ctrl-C stops them all.")
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGINT, None)]
    return 1 if failed else 0


@contextmanager
def service_runtime(args: argparse.Namespace, rebuild_changed: bool) -> Iterator[ServiceRuntime]:
    """A service's runtime for a command, background work off (`--database-url` honoured)."""
    from mhg.settings import MsoOpsSettings, PcGovernanceSettings, ServiceSettings
    from services.mso_ops.app import PARTS as MSO_OPS
    from services.pc_governance.app import PARTS as PC_GOVERNANCE

    current: ServiceSettings
    if args.service == "mso-ops":
        parts, current = MSO_OPS, MsoOpsSettings.from_environment()
    else:
        parts, current = PC_GOVERNANCE, PcGovernanceSettings.from_environment()
    if args.database_url:
        current = current.model_copy(update={"database_url": args.database_url})
    current = current.model_copy(update={"follow_peer": False, "run_projections": False})
    runtime = ServiceRuntime.build(parts, current, rebuild_changed=rebuild_changed)
    try:
        yield runtime
    finally:
        runtime.stop()


def _rebuild(args: argparse.Namespace) -> int:
    """Empty a service's read models and replay its whole event log into them."""
    with service_runtime(args, rebuild_changed=True) as runtime:
        started = time.perf_counter()
        head = runtime.application.head_position()
        applied = runtime.projections.rebuild()
        seconds = time.perf_counter() - started
    print(f"{args.service}: {applied} events applied of {head} in the log, {seconds:.2f} s")
    return 0


def openapi_documents() -> dict[str, dict[str, object]]:
    from services.mso_ops.app import create_app as mso_ops
    from services.pc_governance.app import create_app as pc_governance

    return {"mso-ops": mso_ops().openapi(), "pc-governance": pc_governance().openapi()}


def render_openapi(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _openapi(args: argparse.Namespace) -> int:
    for name, document in openapi_documents().items():
        path = Path(args.out) / OPENAPI_FILES[name].name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_openapi(document))
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="mhg", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="start both services (8001, 8002) with their followers, the workspace (8000)"
    )
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument(
        "--log-format", choices=["json", "text"], default="text", help="default: text (development)"
    )
    run.add_argument(
        "--demo", action="store_true", help="first fill both services with a demo year"
    )
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="start one service")
    serve.add_argument("service", choices=sorted(SERVICES))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving requests (default 1); above 1 needs a PostgreSQL store, where "
        "one process at a time does each kind of background work (ADR 0022)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--log-format",
        choices=["json", "text"],
        default=os.environ.get("MHG_LOG_FORMAT", "json"),
        help="JSON lines with request ids (default, or MHG_LOG_FORMAT), or text for development",
    )
    serve.set_defaults(handler=_serve)

    add_token_commands(commands)
    add_demo_commands(commands)

    rebuild = commands.add_parser(
        "rebuild", help="rebuild a service's read models from its event log (stop it first)"
    )
    rebuild.add_argument("service", choices=sorted(SERVICES))
    rebuild.add_argument("--database-url", help="instead of MHG_<SERVICE>_DATABASE_URL")
    rebuild.set_defaults(handler=_rebuild)

    add_audit_commands(commands, decision_topics=peer_decision_topics)
    add_projection_commands(commands, service_runtime)
    add_patient_key_commands(commands, service_runtime)

    openapi = commands.add_parser("openapi", help="OpenAPI documents")
    openapi_commands = openapi.add_subparsers(dest="openapi_command", required=True)
    export = openapi_commands.add_parser("export", help="write openapi/*.v1.json")
    export.add_argument("--out", default="openapi")
    export.set_defaults(handler=_openapi)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except ValueError as error:
        print(f"mhg: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
