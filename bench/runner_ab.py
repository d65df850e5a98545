"""A/B: the live runner's rebuild with another tree's `mhg/projection.py` and with this one's,
on one log, in one process, in turns (order alternating), in events per CPU-second.

    git archive REF | tar -x -C /tmp/base   # a tree whose src/mhg/projection.py has the runner
    PYTHONPATH=. .venv/bin/python -m bench.runner_ab /tmp/base/src/mhg/projection.py \
        --events 8000 --rounds 6
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from typing import Any

from bench.replay import operations
from mhg.eventstore import StoreLocation
from mhg.projection_runner import ProjectionRunner
from mhg.readstore import ReadStore
from services.mso_ops.app import PARTS


def other_runner(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("other_projection", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["other_projection"] = module
    spec.loader.exec_module(module)
    return module.ProjectionRunner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="path of the other tree's src/mhg/projection.py")
    parser.add_argument("--events", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    runners = [("other", other_runner(args.other)), ("this", ProjectionRunner)]
    with tempfile.TemporaryDirectory(prefix="mhg-runner-ab-") as tmp:
        source = StoreLocation.parse(f"sqlite:///{tmp}/mso_ops.sqlite")
        count = operations(source, args.events)
        app = PARTS.application(source)
        store = ReadStore(source, PARTS.metadata())
        store.create_tables()
        rates: dict[str, list[float]] = {"other": [], "this": []}
        for turn in range(args.rounds):
            for label, cls in runners if turn % 2 == 0 else runners[::-1]:
                runner = cls(app, store, PARTS.projections(store.metadata))
                cpu, wall = time.process_time(), time.perf_counter()
                runner.rebuild()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                rates[label].append(count / cpu)
                print(f"{label}: {count / wall:,.0f} events/s, {count / cpu:,.0f} events/CPU-s")
        store.dispose()
        app.close()
    other, this = (statistics.median(rates[k]) for k in ("other", "this"))
    print(f"median events/CPU-s: other {other:,.0f}, this {this:,.0f}, ratio {this / other:.2f}")


if __name__ == "__main__":
    main()
