"""Whether a service is ready to serve, and every reason it is not, each with a stable code.

| code | when |
|---|---|
| `store-unavailable` | the read store or the event log does not answer |
| `worker-stopped` | a background thread that should run has ended (a bug; its traceback is logged) |
| `projection-failed` | a projection stopped at an event its handler raised on |
| `projection-lagging` | a projection is more than `max_projection_lag` events behind the log |
| `read-store-ahead-of-log` | a projection's position is past the log head (the read store is not this log's) |
| `peer-unreachable` | the follower has not read the peer's feed for `peer_unreachable_after` s (error, since when) |
| `own-feed-as-peer` | the peer feed URL serves this service's own feed |
| `message-refused` | the follower stopped at a peer message whose signature does not hold (ADR 0015) |

ADR 0017; the README's operator section says what to do about each.
"""

from __future__ import annotations

from datetime import UTC, datetime

from eventsourcing.persistence import PersistenceError
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from mhg.projection_state import ProjectionStatus
from mhg.runtime import ServiceRuntime


class NotReadyReason(BaseModel):
    code: str = Field(description="stable: see the README's operator section")
    detail: str
    projection: str | None = None
    position: int | None = None
    error: str | None = None
    since: datetime | None = None
    seconds: float | None = Field(default=None, description="how long it has been so")


class ProjectionReport(BaseModel):
    name: str
    position: int
    lag: int = Field(description="log head minus position; negative: read store ahead of log")
    failed_at_position: int | None = None
    failed_topic: str | None = None
    error: str | None = None


class Readiness(BaseModel):
    status: str = Field(description="ready, not-ready, or unavailable (the store does not answer)")
    reasons: list[NotReadyReason]
    store: str
    stopped_workers: list[str]
    log_head: int
    projection_lag: int
    projections: list[ProjectionReport]
    follower_consumed: int
    follower_lag: int
    follower_error: str | None
    follower_failing_since: datetime | None = None
    process: str = Field(default="", description="the process that answered (host:pid)")
    holds: list[str] = Field(
        default_factory=list,
        description="background work this process does now (projections, sealer, follower, "
        "chores): one process of a service does each at a time (ADR 0022)",
    )


def readiness(rt: ServiceRuntime) -> Readiness:
    follower = rt.follower.status
    reasons = [
        NotReadyReason(code="worker-stopped", detail=f"{name} has stopped")
        for name in rt.dead_workers()
    ]
    reasons += follower_reasons(rt)
    try:
        rt.store.ping()
        head = rt.application.head_position()
        statuses = rt.projections.statuses()
        consumed = max(rt.application.consumed_position(rt.parts.subscription), follower.consumed)
    except (PersistenceError, SQLAlchemyError) as error:
        rt.count_store_error("readiness")
        reasons.insert(
            0,
            NotReadyReason(
                code="store-unavailable",
                detail="the store does not answer",
                error=type(error).__name__,
            ),
        )
        return Readiness(
            status="unavailable",
            reasons=reasons,
            store=type(error).__name__,
            stopped_workers=rt.dead_workers(),
            log_head=0,
            projection_lag=0,
            projections=[],
            follower_consumed=follower.consumed,
            follower_lag=follower.lag,
            follower_error=follower.last_error,
            follower_failing_since=follower.failing_since,
            process=rt.ownership.process,
            holds=rt.ownership.held,
        )
    reasons += projection_reasons(statuses, head, rt.settings.max_projection_lag)
    return Readiness(
        status="not-ready" if reasons else "ready",
        reasons=reasons,
        store="ok",
        stopped_workers=rt.dead_workers(),
        log_head=head,
        projection_lag=max((s.lag for s in statuses), default=0),
        projections=[_report(s) for s in statuses],
        follower_consumed=consumed,
        follower_lag=max(follower.producer_head - consumed, 0),
        follower_error=follower.last_error,
        follower_failing_since=follower.failing_since,
        process=rt.ownership.process,
        holds=rt.ownership.held,
    )


def projection_reasons(
    statuses: list[ProjectionStatus], head: int, max_lag: int
) -> list[NotReadyReason]:
    reasons = []
    for status in statuses:
        if status.failure is not None:
            failure = status.failure
            reasons.append(
                NotReadyReason(
                    code="projection-failed",
                    detail=(
                        f"{status.name} stopped at position {failure.position} "
                        f"({failure.topic}); `mhg projections retry {status.name}` after a fix"
                    ),
                    projection=status.name,
                    position=failure.position,
                    error=f"{failure.error_type}: {failure.message}",
                    since=failure.failed_at,
                    seconds=_seconds_since(failure.failed_at),
                )
            )
        elif status.lag < 0:
            reasons.append(
                NotReadyReason(
                    code="read-store-ahead-of-log",
                    detail=(
                        f"{status.name} is at position {status.position} but the log ends at "
                        f"{head}: the read store is not this log's; "
                        f"`mhg projections rebuild {status.name}`"
                    ),
                    projection=status.name,
                    position=status.position,
                )
            )
        elif status.lag > max_lag:
            reasons.append(
                NotReadyReason(
                    code="projection-lagging",
                    detail=f"{status.name} is {status.lag} events behind (limit {max_lag})",
                    projection=status.name,
                    position=status.position,
                )
            )
    return reasons


def follower_reasons(rt: ServiceRuntime) -> list[NotReadyReason]:
    status = rt.follower.status
    if status.own_feed:
        return [
            NotReadyReason(
                code="own-feed-as-peer",
                detail=f"the peer feed {rt.follower.feed_url} is this service's own feed; "
                "refused (set the peer's feed URL)",
                error=status.last_error,
                since=status.failing_since,
            )
        ]
    if status.refused is not None:
        return [
            NotReadyReason(
                code="message-refused",
                detail=f"the peer message at position {status.refused.position} is not "
                "signed by a key this service trusts: refused, never skipped",
                position=status.refused.position,
                error=status.refused.reason,
            )
        ]
    seconds = _seconds_since(status.failing_since)
    if status.last_error is None or (seconds or 0.0) < rt.settings.peer_unreachable_after:
        return []  # a poll that failed once is not an outage
    return [
        NotReadyReason(
            code="peer-unreachable",
            detail=f"cannot read the peer feed {rt.follower.feed_url}",
            error=status.last_error,
            since=status.failing_since,
            seconds=seconds,
        )
    ]


def _seconds_since(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    return round((datetime.now(UTC) - moment).total_seconds(), 3)


def _report(status: ProjectionStatus) -> ProjectionReport:
    failure = status.failure
    return ProjectionReport(
        name=status.name,
        position=status.position,
        lag=status.lag,
        failed_at_position=failure.position if failure else None,
        failed_topic=failure.topic if failure else None,
        error=f"{failure.error_type}: {failure.message}" if failure else None,
    )
