"""`mhg demo seed`: a year of a running MSO and PC, entered through both services' public APIs.

The seed starts both services in its own process on the stores `mhg run` serves, and
lives the year month by month (`mhg_cli.demo.world`); `mhg run --demo` does it before it
starts the services. A second run makes nothing twice (`mhg_cli.demo.api`) and finishes
what an interrupted one left.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import time_machine
from rich.console import Console
from rich.table import Table

from mhg_cli.demo import governance, operations, present, sites, standing
from mhg_cli.demo.api import DIRECTOR, SCHEDULER, DemoRefused, Service, rows
from mhg_cli.demo.world import services_here
from mhg_cli.progress import progress_bar
from mhg_cli.serving import StoresInUse, serving

OFF_TARGET = {2, 3, 7, 8}  # months whose no-shows miss the 10 % target
NOON = time(12, tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    sites: int
    months: int
    now: datetime  # the real moment the seed started

    @property
    def live(self) -> int:
        return max(1, self.sites - 2)

    def first_day(self, index: int) -> date:
        """The first day of the `index`-th month; the last month is last month."""
        back = self.months - index
        year, month = divmod(self.now.year * 12 + self.now.month - 1 - back, 12)
        return date(year, month + 1, 1)

    def setup_moment(self) -> datetime:
        """The year's first day: the PC approves what the year runs under, in force from then."""
        return datetime.combine(self.first_day(0), NOON)

    def moment(self, index: int) -> datetime:
        """When a month is entered: ten days after it, when its claims have answers."""
        after = self.first_day(index + 1) if index + 1 < self.months else self.now.date()
        return min(datetime.combine(after + timedelta(days=9), NOON), self.now - timedelta(hours=1))

    def month(self, index: int) -> operations.Month:
        share = 0.25 if index in OFF_TARGET else 0.06
        # the last day a step may name: the day before the moment, today at every site's clock
        last_day = self.moment(index).date() - timedelta(days=1)
        return operations.Month(self.first_day(index), last_day, share)

    def action(self, index: int) -> str:
        """What the month's meeting does about the report: verified once, one left open."""
        if index == self.months - 1:
            return "open"
        return "verified" if index == 3 else "none"


Step = Callable[[str], None]
Travel = Callable[[datetime | None], None]


def seed(mso: Service, pc: Service, plan: Plan, advance: Step, travel: Travel) -> None:
    """The whole year; `advance` is told each step as it starts, `travel` moves the clock
    (None: back to the real one)."""
    travel(plan.setup_moment())
    advance("the PC's clinicians")
    clinicians = standing.clinicians(pc, mso, plan.now.date())
    advance("coding rules")
    standing.coding_rules(pc, mso, plan.first_day(0))
    advance("accounts and the MSA fee")
    accounts = standing.accounts(mso)
    standing.fee_schedule(mso, pc, plan.first_day(0))
    live = []
    for index in range(plan.live):
        advance(f"site {sites.site_name(index)}")
        live.append(sites.live_site(mso, pc, index, plan.first_day(0)))
    for index in range(plan.months):
        month = plan.month(index)
        travel(plan.moment(index))
        advance(f"month {month.label}")
        for site_id in live:
            operations.operate(mso, site_id, month, accounts, clinicians[0])
        governance.meeting(mso, pc, month, plan.action(index))
        governance.close_month(mso, pc, month)
    travel(None)
    advance("today's work")
    present.waiting_sites(mso, plan.live, plan.sites)
    present.waiting_line(mso, live[0])
    present.bookable_slots(mso, pc, live[0], datetime.now(UTC).date())


def summary(mso: Service, pc: Service, plan: Plan) -> Table:
    table = Table(title=f"Demo year: {plan.month(0).label} to {plan.month(plan.months - 1).label}")
    table.add_column("what")
    table.add_column("count", justify="right")
    statuses = [s["status"] for s in rows(mso, "/sites", SCHEDULER)]
    for status in ("live", "submitted", "proposed"):
        table.add_row(f"sites {status}", str(statuses.count(status)))
    waiting = rows(pc, "/authorizations", DIRECTOR, status="pending")
    table.add_row("requests waiting for the Medical Director", str(len(waiting)))
    table.add_row("appointments", str(len(rows(mso, "/appointments", SCHEDULER))))
    table.add_row("free slots to book", str(len(rows(mso, "/slots", SCHEDULER, status="free"))))
    table.add_row("meetings", str(len(rows(pc, "/meetings", DIRECTOR))))
    return table


def run_seed(plan: Plan) -> int:
    console = Console(stderr=True)
    logging.getLogger("mhg").setLevel(logging.WARNING)  # a line a request is no progress
    logging.captureWarnings(True)  # the frameworks' warnings at start-up, as `mhg serve` logs them
    logging.getLogger("py.warnings").setLevel(logging.ERROR)
    try:
        with serving():
            return _seed_here(plan, console)
    except StoresInUse as error:
        console.print(f"mhg demo seed: {error}: stop it first, or start it with `mhg run --demo`")
        return 2


def _seed_here(plan: Plan, console: Console) -> int:
    traveller = time_machine.travel(plan.setup_moment(), tick=True)
    coordinates = traveller.start()
    travelling = [True]
    try:
        with (
            services_here() as urls,
            httpx.Client(base_url=urls["mso-ops"], timeout=60) as m,
            httpx.Client(base_url=urls["pc-governance"], timeout=60) as p,
        ):
            mso, pc = Service(m), Service(p)

            def travel(moment: datetime | None) -> None:
                mso.tokens.clear()  # tokens live hours: each month signs in afresh
                pc.tokens.clear()
                if moment is not None:
                    coordinates.move_to(moment)
                elif travelling.pop():
                    traveller.stop()

            with progress_bar("seeding the demo year") as bar:
                task = bar.add_task("", total=4 + plan.live + plan.months)
                try:
                    seed(
                        mso, pc, plan, lambda s: bar.update(task, advance=1, description=s), travel
                    )
                except (DemoRefused, TimeoutError) as error:
                    console.print(f"mhg demo seed: stopped: {error}")
                    return 1
            Console().print(summary(mso, pc, plan))
    finally:
        if travelling:
            traveller.stop()
    return 0


def _seed(args: argparse.Namespace) -> int:
    return run_seed(Plan(sites=args.sites, months=args.months, now=datetime.now(UTC)))


def bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            msg = f"between {low} and {high}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def add_commands(commands: Any) -> None:
    demo = commands.add_parser("demo", help="demo data")
    demo_commands = demo.add_subparsers(dest="demo_command", required=True)
    seed_command = demo_commands.add_parser(
        "seed", help="fill both running services with a demo year, through their APIs"
    )
    seed_command.add_argument("--sites", type=bounded(1, 24), default=4, help="default 4")
    seed_command.add_argument("--months", type=bounded(1, 36), default=12, help="default 12")
    seed_command.set_defaults(handler=_seed)
