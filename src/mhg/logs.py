"""Logs as JSON lines, each with the request and correlation ids of the request it belongs to.

`RequestIdentity` (mhg.web) sets the ids for the request's context; every record logged
while serving it carries them. The access line is written by `mhg.metrics.RequestMetrics`
with the route template (`/sites/{site_id}`), never the raw path or query, so that no
value a client sent reaches the log. Messages name ids, positions, types and errors,
never patient data (ADR 0004, ADR 0017). `--log-format text` keeps human-readable lines
for development (`mhg run` defaults to it).
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["json", "text"]

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

access = logging.getLogger("mhg.access")


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, ids, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, var in (("request_id", request_id), ("correlation_id", correlation_id)):
            value = var.get()
            if value is not None:
                line[name] = value
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class WithIds(logging.Formatter):
    """Human-readable lines, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = request_id.get()
        return f"{text} [request {rid}]" if rid else text


def logging_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for a served process (uvicorn's loggers included)."""
    formatter = (
        {"()": JsonLines}
        if log_format == "json"
        else {"()": WithIds, "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},  # mhg.access instead
            "httpx": {"level": "WARNING"},
        },
    }


QUIET_WHEN_OK = frozenset({"/contracts/v1/feed", "/metrics", "/healthz", "/readyz"})


def log_access(method: str, route: str, status: int, seconds: float) -> None:
    """The access line: polls and probes that succeed are not logged (twice a second each)."""
    if status < 400 and route in QUIET_WHEN_OK:
        return
    fields = {"method": method, "route": route, "status": status, "ms": round(seconds * 1e3, 1)}
    access.info("%s %s %s", method, route, status, extra={"fields": fields})
