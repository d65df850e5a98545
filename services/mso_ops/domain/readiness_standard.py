"""The readiness standard a request is judged against: the PC's version in force, or v0.

The PC sets the checklist a site's go-live and a service line's authorization are judged
against (its readiness standards, received through its feed: readiness_standard_record.py).
Until the PC approves a standard of a kind, the MSO judges against its built-in version 0:
for a go-live the seven items the platform always had, each met only on a document; for a
service line no item at all (the request's checklist stays free-form, as it was). Once
the PC has approved one, version 0 never applies again to that kind: after a retirement
nothing is in force until the PC approves a new version.

Every item of the standard must be answered met; an item that requires evidence is met
only on a named document (a go-live's `document_ref`; a service line request's
`evidence`). A request records the standard it was judged against (`judged`).

A site's readiness (`readiness_share`, the expansion-readiness KPI) is the share of the
items of the go-live standard in force it meets, each as a go-live request would judge
it. After a retirement it is still counted against the retired version, the last the PC
approved, until a new one is (a go-live request is refused meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from mhg.errors import Conflict, RuleViolation
from services.mso_ops.domain.site_errors import UnknownChecklistItem
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS, Evidence, readiness_share

SITE_GO_LIVE = "site_go_live"
SERVICE_LINE = "service_line"


class NoReadinessStandardInForce(Conflict):
    code = "no-readiness-standard-in-force"
    title = "The PC retired the readiness standard and has approved no new version"


class ReadinessStandardNotMet(RuleViolation):
    code = "readiness-standard-not-met"
    title = "The request does not answer every item of the readiness standard in force"


@dataclass(frozen=True)
class StandardItem:
    key: str
    text: str
    evidence_required: bool


@dataclass(frozen=True)
class ChecklistStandard:
    kind: str
    service_line: str | None
    version: int
    standard_id: UUID | None
    items: tuple[StandardItem, ...]

    @classmethod
    def of(cls, facts: Mapping[str, Any]) -> ChecklistStandard:
        """A version as the PC's approval message carries it."""
        return cls(
            facts["kind"],
            facts["service_line"],
            facts["version"],
            facts["standard_id"],
            tuple(StandardItem(**item) for item in facts["items"]),
        )

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    def judged(self) -> dict[str, Any]:
        """What a request records of the standard it met."""
        standard_id = None if self.standard_id is None else str(self.standard_id)
        return {"standard_id": standard_id, "version": self.version, "items": self.keys}

    def item_named(self, key: str) -> StandardItem:
        found = next((item for item in self.items if item.key == key), None)
        if found is None:
            raise UnknownChecklistItem(
                f"{key!r} is not an item of readiness standard v{self.version}: "
                f"{', '.join(self.keys)}"
            )
        return found

    def unmet(self, checklist: Mapping[str, Evidence]) -> list[str]:
        """A site's items without evidence, not met, or met on no document where one is asked."""
        return [
            item.key
            for item in self.items
            if not _met(checklist.get(item.key), item.evidence_required)
        ]

    def met_count(self, latest: Mapping[str, tuple[bool, bool]]) -> int:
        """How many of its items a site meets, from each item's latest (met, on a document)."""
        return sum(
            item.key in latest and _answered(*latest[item.key], item.evidence_required)
            for item in self.items
        )

    def share(self, checklist: Mapping[str, Evidence]) -> Decimal:
        """The expansion-readiness KPI of a site: the share of the items it meets."""
        return readiness_share(len(self.items) - len(self.unmet(checklist)), len(self.items))

    def unanswered(self, answers: Iterable[Mapping[str, Any]]) -> list[str]:
        """A service-line request's items not answered met (with evidence where asked)."""
        met = {
            answer["item"]: bool((answer.get("evidence") or "").strip())
            for answer in answers
            if answer.get("met")
        }
        return [
            item.key
            for item in self.items
            if item.key not in met or (item.evidence_required and not met[item.key])
        ]


def _met(evidence: Evidence | None, evidence_required: bool) -> bool:
    if evidence is None:
        return False
    return _answered(evidence.met, documented(evidence.document_ref), evidence_required)


def documented(document_ref: str | None) -> bool:
    """Evidence names a document."""
    return bool((document_ref or "").strip())


def _answered(met: bool, on_document: bool, evidence_required: bool) -> bool:
    return met and (on_document or not evidence_required)


_V0_TEXT = {
    "lease": "Lease or use agreement for the space signed",
    "equipment": "Clinical equipment in place",
    "staffing_plan": "Staffing plan for the opening season",
    "it": "IT and records systems signed off",
    "vendors": "Non-clinical vendors contracted",
    "lab_courier": "Lab courier contracted",
    "forms": "Patient forms ready",
}
SITE_GO_LIVE_V0 = ChecklistStandard(
    SITE_GO_LIVE,
    None,
    0,
    None,
    tuple(StandardItem(key, _V0_TEXT[key], True) for key in CHECKLIST_ITEMS),
)


def service_line_v0(code: str) -> ChecklistStandard:
    """Before the PC approves a line's standard, its checklist is free-form: nothing required."""
    return ChecklistStandard(SERVICE_LINE, code, 0, None, ())
