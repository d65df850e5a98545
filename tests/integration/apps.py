"""Each service's app built once per test process, and started afresh for every test.

An app is its routes. FastAPI compiles a route's models (a pydantic adapter per
parameter and response) on the first request the app routes past it, so a new app
per test paid about 0.6 s of CPU for both services before a test did anything: the
largest single cost of an integration test. Everything a test can change is made in
the app's lifespan from its settings: the runtime on the test's own store, the keys,
the verifier; the app itself keeps only its request metrics. So a test process keeps
one app per service, and before each start points it at the test's settings and gives
it empty metrics. Each start is still the service's own start-up on the test's store.

Not shared: an app while it is started (a test running two pairs at once gets a new
one), and an app whose parts a test replaced (`monkeypatch.setattr(app_module,
"PARTS", ...)`): that test gets a new app built from its parts, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Generic, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mhg.metrics import Metrics
from mhg.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def follow(target: ServiceSettings, settings: ServiceSettings) -> None:
    """Give the settings an app was built with the values of `settings`."""
    for name in type(settings).model_fields:
        setattr(target, name, getattr(settings, name))


def empty_metrics(app: FastAPI) -> None:
    """The app's request counters start at zero, as in a new app (its middleware and its
    `/metrics` route share the one `Metrics` object, so it is emptied in place)."""
    metrics: Metrics = app.state.metrics
    fresh = Metrics(lambda: getattr(app.state, "runtime", None))
    metrics.registry, metrics.requests, metrics.latency = (
        fresh.registry,
        fresh.requests,
        fresh.latency,
    )


class ServiceApp(Generic[S]):
    """One service's app in this process: `module.create_app`, over `module.PARTS`."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.parts = module.PARTS  # as imported, before any test replaced them
        self._app: FastAPI | None = None
        self._settings: S | None = None
        self._started = False

    def _create(self, settings: S) -> FastAPI:
        create: Callable[[S], FastAPI] = self.module.create_app
        return create(settings)

    @contextmanager
    def started(self, settings: S) -> Iterator[TestClient]:
        """The service started on `settings` (its lifespan run), stopped on leaving."""
        if self._started or self.module.PARTS is not self.parts:
            with TestClient(self._create(settings)) as client:
                yield client
            return
        if self._app is None or self._settings is None:
            self._settings = settings.model_copy()
            self._app = self._create(self._settings)
        else:
            follow(self._settings, settings)
            empty_metrics(self._app)
        self._started = True
        try:
            with TestClient(self._app) as client:
                yield client
        finally:
            self._started = False
