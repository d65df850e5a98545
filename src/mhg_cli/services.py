"""The services the command line runs: each one's app factory, port and OpenAPI file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

SERVICES = {
    "mso-ops": ("services.mso_ops.app:create_app", 8001),
    "pc-governance": ("services.pc_governance.app:create_app", 8002),
}
OPENAPI_FILES = {
    "mso-ops": Path("openapi/mso_ops.v1.json"),
    "pc-governance": Path("openapi/pc_governance.v1.json"),
}


def service_module(service: str) -> Any:
    """The service's app module (its `PARTS` and `create_app`)."""
    return importlib.import_module(SERVICES[service][0].split(":")[0])


def peer_decision_topics(service: str) -> frozenset[str]:
    """The topics of a service's events that only its peer's decisions create."""
    return frozenset(get_topic(cls) for cls in service_module(service).PARTS.peer_decision_events)
