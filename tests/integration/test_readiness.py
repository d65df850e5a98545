"""Readiness that tells the truth about the peer and the read models; metrics; the CLI;
read models rebuilt at startup when their schema changed."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import inspect

import services.mso_ops.app as mso_app
from mhg.logs import JsonLines
from mhg.runtime import ServiceRuntime
from mhg.settings import MsoOpsSettings
from mhg_cli import main as cli
from tests.conftest import SECRET, StoreUrl
from tests.integration.poison import NAME, POISON, Poison, parts
from tests.integration.services import service_pair
from tests.integration.test_projection_failures import ADMIN, metric, propose

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

SCHEMA_CHANGED = "its schema changed"


@contextmanager
def mso(url: str, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> Iterator[TestClient]:
    monkeypatch.setattr(mso_app, "PARTS", parts(**kwargs))  # type: ignore[arg-type]
    settings = MsoOpsSettings(
        database_url=url, auth_secret=SECRET, follow_peer=False, run_projections=False, seal=False
    )
    with TestClient(mso_app.create_app(settings)) as client:
        yield client


def runtime_of(client: TestClient) -> ServiceRuntime:
    found: ServiceRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    return found


def stored_names(client: TestClient) -> list[str]:
    store = runtime_of(client).store
    table = store.metadata.tables[NAME]
    with store.reader.connect() as conn:
        return [row.name for row in conn.execute(table.select().order_by(table.c.position))]


def rebuilt(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if SCHEMA_CHANGED in r.getMessage()]


def test_a_changed_read_model_is_rebuilt_at_startup(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = store_url("mso_ops")
    Poison.armed = False
    caplog.set_level(logging.WARNING, logger="mhg.projection_runner")
    with mso(url, monkeypatch) as client:
        propose(client_pair(client), "Campus A")
        propose(client_pair(client), POISON)
        runtime_of(client).projections.catch_up()
    with mso(url, monkeypatch) as client:
        assert rebuilt(caplog) == []  # same definitions: served as they are
    with mso(url, monkeypatch, version=2) as client:  # a handler's meaning changed
        [line] = rebuilt(caplog)
        assert NAME in line
        assert stored_names(client) == ["Campus A", POISON]
    caplog.clear()
    with mso(url, monkeypatch, version=2, wide=True) as client:  # a column's type changed
        [line] = rebuilt(caplog)
        assert NAME in line
        assert stored_names(client) == ["Campus A", POISON]
        engine = runtime_of(client).store.reader
        columns = {c["name"]: c["type"] for c in inspect(engine).get_columns(NAME)}
        assert "BIGINT" in str(columns["position"]).upper()
        statuses = runtime_of(client).projections.statuses()
        assert all(s.lag == 0 for s in statuses)


class client_pair:
    """Just enough of a Pair for `propose`."""

    def __init__(self, client: TestClient) -> None:
        self.mso = client


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_an_unreachable_peer_is_reported_with_its_error_and_since_when(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        runtime = pair.mso_runtime
        follower = runtime.follower
        follower.client = httpx.Client(transport=httpx.MockTransport(refuse))
        follower.poll()
        assert pair.mso.get("/readyz").status_code == 200  # one failed poll is no outage yet
        runtime.settings = runtime.settings.model_copy(update={"peer_unreachable_after": 0.05})
        time.sleep(0.05)
        follower.poll()
        ready = pair.mso.get("/readyz")
        assert ready.status_code == 503
        [reason] = ready.json()["reasons"]
        assert reason["code"] == "peer-unreachable"
        assert "ConnectError" in reason["error"]
        assert reason["since"] is not None
        assert reason["seconds"] >= 0.05
        assert metric(pair, "mhg_follower_up") == 0
        assert metric(pair, "mhg_follower_failing_seconds") >= 0.05

        follower.client = pair.pc  # the peer is back
        follower.poll()
        assert pair.mso.get("/readyz").status_code == 200
        assert metric(pair, "mhg_follower_up") == 1


def test_a_failing_feed_is_tried_again_at_growing_waits_up_to_twenty_polls(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        follower = pair.mso_runtime.follower
        follower.client = httpx.Client(transport=httpx.MockTransport(refuse))
        interval = follower.poll_interval
        waits, delay = [], 0.0
        for _ in range(8):
            delay = follower.poll(delay)
            waits.append(delay / interval)
        assert waits == pytest.approx([1, 2, 4, 8, 16, 20, 20, 20])

        follower.client = pair.pc  # the peer is back: the next poll comes at the usual pace
        assert follower.poll(delay) == interval


def test_a_service_refuses_to_follow_its_own_feed(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose(pair, "Campus A")
        pair.mso.post(
            f"/sites/{site_id}/service-lines", json={"code": "school_physical"}, headers=ADMIN
        )
        requested = pair.mso.post(
            f"/sites/{site_id}/service-lines/school_physical/authorization-requests",
            json={"readiness": {"summary": "ready"}},
            headers=ADMIN,
        )
        assert requested.status_code == 201  # a message in MSO's own feed
        follower = pair.mso_runtime.follower
        follower.client = pair.mso  # the peer URL points at itself
        follower.poll()
        ready = pair.mso.get("/readyz")
        assert ready.status_code == 503
        [reason] = ready.json()["reasons"]
        assert reason["code"] == "own-feed-as-peer"
        assert pair.mso_runtime.application.consumed_position(follower.subscription) == 0
        assert metric(pair, "mhg_follower_own_feed") == 1


def test_metrics_count_requests_by_route_template_per_app(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        site_id = propose(pair, "Campus A")
        assert pair.mso.get(f"/sites/{site_id}", headers=ADMIN).status_code == 200
        assert pair.mso.get("/no/such/path").status_code == 404
        text = pair.mso.get("/metrics").text
        assert site_id not in text  # templates, never raw paths
        families = {f.name: f for f in text_string_to_metric_families(text)}
        assert {"mhg_http_requests", "mhg_http_request_duration_seconds", "mhg_log_head"} <= set(
            families
        )
        route = {"method": "GET", "route": "/sites/{site_id}"}
        assert metric(pair, "mhg_http_requests_total", status="200", **route) == 1
        assert metric(pair, "mhg_http_request_duration_seconds_count", **route) == 1
        assert metric(pair, "mhg_http_requests_total", route="unmatched", status="404") == 1
        assert metric(pair, "mhg_seal_lag_events") == pair.mso_runtime.application.head_position()
        assert metric(pair, "mhg_store_up") == 1
        # the other app has a registry of its own
        assert "/sites/{site_id}" not in pair.pc.get("/metrics").text


def test_the_projections_commands(
    store_url: StoreUrl, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MHG_AUTH_SECRET", SECRET)
    url = store_url("mso_ops")
    Poison.armed = True
    with mso(url, monkeypatch) as client:
        propose(client_pair(client), POISON)
        runtime_of(client).projections.catch_up()
    base = ["projections", "status", "mso-ops", "--database-url", url]
    assert cli.main(base) == 1
    out = capsys.readouterr().out
    assert "mso_sites" in out
    assert "OverflowError" in out
    assert cli.main(["projections", "retry", "mso-ops", "mso_nope", "--database-url", url]) == 2
    assert cli.main(["projections", "retry", "mso-ops", NAME, "--database-url", url]) == 1
    Poison.armed = False
    assert cli.main(["projections", "retry", "mso-ops", NAME, "--database-url", url]) == 0
    assert cli.main(["projections", "rebuild", "mso-ops", NAME, "--database-url", url]) == 0
    assert "rebuilt, 1 events applied" in capsys.readouterr().out
    assert cli.main(base) == 0


def test_log_lines_are_json_with_the_request_ids(tmp_path: Path) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("mhg.access")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with service_pair(lambda name: f"sqlite:///{tmp_path / name}.sqlite") as pair:
            site_id = propose(pair, "Campus A")
            ids = {"X-Request-Id": "req-1", "X-Correlation-Id": "conv-1"}
            pair.mso.get(f"/sites/{site_id}", headers={**ADMIN, **ids})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [line] = [line for line in lines if line.get("request_id") == "req-1"]
    assert line["correlation_id"] == "conv-1"
    assert (line["route"], line["status"], line["logger"]) == (
        "/sites/{site_id}",
        200,
        "mhg.access",
    )
    assert site_id not in stream.getvalue()
    assert "Campus A" not in stream.getvalue()
