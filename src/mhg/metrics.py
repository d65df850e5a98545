"""`GET /metrics`: what an operator scrapes, in the Prometheus text format.

Each app has a registry of its own (never prometheus-client's global one: a process,
or a test run, can hold many apps). Request metrics are labelled with the route
template (`/sites/{site_id}`), never the raw path, so no identifier reaches a label.
The rest is read from the runtime at scrape time: projection positions, lag and
failures, the follower's lag and errors, seal lag, store errors. Nothing in it is
patient data, so the endpoint is unauthenticated, like `/healthz` (README, ADR 0017).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from eventsourcing.persistence import PersistenceError
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mhg.groupcommit import GroupCommitPostgresProcessRecorder
from mhg.logs import log_access
from mhg.ownership import WORK
from mhg.runtime import ServiceRuntime

UNMATCHED = "unmatched"


class Metrics:
    """One app's registry and its request instruments."""

    def __init__(self, runtime: Callable[[], ServiceRuntime | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mhg_http_requests",
            "HTTP requests answered, by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mhg_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(RuntimeCollector(runtime))


class RequestMetrics:
    """ASGI middleware counting and timing each request under its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = route_template(scope)
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(method, route, str(status)).inc()
            seconds = time.perf_counter() - started
            self.metrics.latency.labels(method, route).observe(seconds)
            log_access(method, route, status, seconds)


def route_template(scope: Scope) -> str:
    """The path template of the route that matched (`/sites/{site_id}`), or `unmatched`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    app = scope.get("app")
    for candidate in getattr(app, "routes", ()):
        match, _ = candidate.matches(scope)
        if match == Match.FULL:
            return str(getattr(candidate, "path", UNMATCHED))
    return UNMATCHED


class RuntimeCollector(Collector):
    """Reads the service's state when scraped."""

    def __init__(self, runtime: Callable[[], ServiceRuntime | None]) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        rt = self.runtime()
        if rt is None:
            return
        yield from _follower(rt)
        yield _ownership(rt)
        yield from _group_commit(rt)
        store_up = GaugeMetricFamily("mhg_store_up", "1 when the store answered this scrape")
        try:
            found = list(_from_store(rt))
        except (PersistenceError, SQLAlchemyError):
            rt.count_store_error("metrics")
            store_up.add_metric([], 0)
        else:
            store_up.add_metric([], 1)
            yield from found
        yield store_up
        errors = CounterMetricFamily(
            "mhg_store_errors",
            "Store errors met by background work and probes",
            labels=["component"],
        )
        for component, count in sorted(rt.store_errors.items()):
            errors.add_metric([component], count)
        yield errors


def _from_store(rt: ServiceRuntime) -> Iterator[Metric]:
    head = rt.application.head_position()
    yield GaugeMetricFamily("mhg_log_head", "Position of the last event in the log", value=head)
    position = GaugeMetricFamily(
        "mhg_projection_position", "Log position a projection applied up to", labels=["projection"]
    )
    lag = GaugeMetricFamily(
        "mhg_projection_lag_events",
        "Events a projection is behind the log (negative: read store ahead of the log)",
        labels=["projection"],
    )
    failed = GaugeMetricFamily(
        "mhg_projection_failed",
        "1 while a projection is stopped at an event its handler raised on",
        labels=["projection"],
    )
    for status in rt.projections.statuses():
        position.add_metric([status.name], status.position)
        lag.add_metric([status.name], status.lag)
        failed.add_metric([status.name], 0 if status.failure is None else 1)
    yield from (position, lag, failed)
    sealed = rt.ledger.last_seal()
    yield GaugeMetricFamily(
        "mhg_seal_lag_events",
        "Events recorded and not yet sealed into the audit chain",
        value=head - (sealed.position if sealed else 0),
    )


def _ownership(rt: ServiceRuntime) -> Metric:
    held = set(rt.ownership.held)
    gauge = GaugeMetricFamily(
        "mhg_work_held",
        "1 while this process does this background work (one process of a service at a time)",
        labels=["work"],
    )
    for work in WORK:
        gauge.add_metric([work], int(work in held))
    return gauge


def _group_commit(rt: ServiceRuntime) -> Iterator[Metric]:
    """Saves per transaction of the event log, on PostgreSQL (mhg.groupcommit)."""
    recorder = rt.application.recorder
    if not isinstance(recorder, GroupCommitPostgresProcessRecorder):
        return
    counts = recorder.line.counts
    yield CounterMetricFamily(
        "mhg_store_group_commits",
        "Transactions that wrote commands' saves to the event log",
        value=counts.transactions,
    )
    yield CounterMetricFamily(
        "mhg_store_group_commit_saves", "Saves those transactions wrote", value=counts.saves
    )
    yield CounterMetricFamily(
        "mhg_store_group_commit_conflicted",
        "Batches written again save by save because one of them conflicted",
        value=counts.conflicted,
    )


def _follower(rt: ServiceRuntime) -> Iterator[Metric]:
    status = rt.follower.status
    yield GaugeMetricFamily(
        "mhg_follower_lag_messages",
        "Positions of the peer's feed not yet consumed",
        value=status.lag,
    )
    yield GaugeMetricFamily(
        "mhg_follower_up",
        "1 while the peer feed is read without error",
        value=int(not status.last_error),
    )
    since = status.failing_since
    yield GaugeMetricFamily(
        "mhg_follower_failing_seconds",
        "How long reading the peer feed has failed (0 while it works)",
        value=0.0 if since is None else time.time() - since.timestamp(),
    )
    yield GaugeMetricFamily(
        "mhg_follower_own_feed",
        "1 when the peer feed URL is this service's own feed",
        value=int(status.own_feed),
    )
