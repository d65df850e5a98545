"""What a readiness standard is made of: its subject, its checklist items, its versions.

A standard's subject is the site go-live, or one service line. Each version is a list of
checklist items: a key the MSO records evidence under, what the item asks, and whether
it is met only on a named document. What a version may hold is bounded here, so a draft
the Medical Director could approve is always one the MSO can judge a request against.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from contracts.v1.service_lines import SERVICE_LINES
from mhg.errors import Conflict, NotFound, RuleViolation
from services.pc_governance.domain.versioned_document import RevisedVersion

SITE_GO_LIVE = "site_go_live"
SERVICE_LINE = "service_line"
KINDS = (SITE_GO_LIVE, SERVICE_LINE)
MAX_ITEMS = 50
MAX_TEXT = 500
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


class ReadinessStandardNotFound(NotFound):
    code = "readiness-standard-not-found"
    title = "No such readiness standard"


class ReadinessStandardVersionNotFound(NotFound):
    code = "readiness-standard-version-not-found"
    title = "The readiness standard has no such version"


class ReadinessStandardExists(Conflict):
    code = "readiness-standard-exists"
    title = "A readiness standard of this subject exists: draft its next version"


class InvalidReadinessStandardTransition(Conflict):
    code = "invalid-readiness-standard-transition"
    title = "The readiness standard's state does not allow this"


class InvalidReadinessStandard(RuleViolation):
    code = "invalid-readiness-standard"
    title = "The standard's subject or checklist items break a rule"


@dataclass(frozen=True)
class StandardItem:
    key: str
    text: str
    evidence_required: bool


def checked_subject(kind: str, service_line: str | None) -> tuple[str, str | None]:
    """The subject of a standard: the site go-live (no line), or one known service line."""
    if kind not in KINDS:
        raise InvalidReadinessStandard(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if (kind == SERVICE_LINE) != (service_line is not None):
        raise InvalidReadinessStandard(
            "service_line names the line of a service_line standard, and only then",
            field="service_line",
        )
    if service_line is not None and service_line not in SERVICE_LINES:
        raise InvalidReadinessStandard(
            f"service_line must be one of {', '.join(SERVICE_LINES)}", field="service_line"
        )
    return kind, service_line


def checked_items(items: list[dict[str, Any]]) -> tuple[StandardItem, ...]:
    """1 to MAX_ITEMS items, keys lower_snake_case and distinct, each text 1 to MAX_TEXT."""
    if not 1 <= len(items) <= MAX_ITEMS:
        raise InvalidReadinessStandard(f"items must hold 1 to {MAX_ITEMS}", field="items")
    checked = tuple(StandardItem(**item) for item in items)
    keys = [item.key for item in checked]
    for n, item in enumerate(checked):
        if not _KEY.fullmatch(item.key):
            raise InvalidReadinessStandard(
                "a key is lower_snake_case, at most 64 characters", field=f"items.{n}.key"
            )
        if keys.index(item.key) != n:
            raise InvalidReadinessStandard(f"key {item.key!r} repeats", field=f"items.{n}.key")
        if not 1 <= len(item.text.strip()) <= MAX_TEXT:
            raise InvalidReadinessStandard(
                f"text must be 1 to {MAX_TEXT} characters", field=f"items.{n}.text"
            )
    return checked


def item_dicts(items: tuple[StandardItem, ...]) -> list[dict[str, Any]]:
    return [asdict(item) for item in items]


@dataclass
class StandardVersion(RevisedVersion):
    number: int
    items: tuple[StandardItem, ...]
    drafted_by: str
    drafted_at: datetime
