"""The MSA fee schedule: versions, each in force from the first day of a month.

A version is never edited: a change is a new version that takes effect later than every
earlier one (and, the application checks, after every month already invoiced), so a
month's fee is always computed from the version that was in force for it. Each version
carries its fair-market-value basis: who assessed the fee, when, and the document.
The assessment must exist before the version takes effect and cannot be dated ahead.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    FeeScheduleNotCountersigned,
    FeeScheduleVersionNotFound,
    FeeScheduleVersionOutOfOrder,
    InvalidFeeSchedule,
    NoFeeScheduleInForce,
)
from services.mso_ops.domain.msa_fee import FeeTerms


@dataclass(frozen=True)
class FmvBasis:
    """The fair-market-value assessment a version rests on."""

    assessed_by: str
    assessed_on: date
    document_ref: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "assessed_by": self.assessed_by,
            "assessed_on": self.assessed_on,
            "document_ref": self.document_ref,
        }


@dataclass(frozen=True)
class ScheduleVersion:
    number: int
    effective_from: date
    terms: FeeTerms
    fmv: FmvBasis
    recorded_by: str

    @property
    def kind(self) -> str:
        return self.terms.kind


class VersionProposed(Aggregate.Event):
    """A version as the PC receives it (`msa.fee-schedule.proposed`): what both the
    "VersionAdded" and the "ProposalResent" event record (each declares its own class,
    so each keeps its topic)."""

    number: int
    effective_from: date
    kind: str
    terms: dict[str, Decimal]
    fmv: dict[str, Any]
    meta: Meta


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class FeeSchedule(Aggregate):
    """The one fee schedule of the MSA between the MSO and the PC."""

    ID = uuid.UUID("5d0b8f3e-7a41-4c2e-9f16-2b8e4d7c1a90")

    @classmethod
    def open(cls, meta: Meta) -> FeeSchedule:
        return cls(id=cls.ID, meta=meta)

    class Opened(Aggregate.Created):
        meta: Meta

    @event(Opened)
    def __init__(self, id: UUID, meta: Meta) -> None:
        self.versions: list[ScheduleVersion] = []

    @property
    def latest(self) -> ScheduleVersion | None:
        return self.versions[-1] if self.versions else None

    def in_force(self, month: date) -> ScheduleVersion:
        """The version proposed for the month by date alone; invoices ask
        `countersigned_in_force`, which also weighs the PC's answers."""
        start = first_of_month(month)
        for version in reversed(self.versions):
            if version.effective_from <= start:
                return version
        raise NoFeeScheduleInForce(f"no version of the fee schedule is in force in {start:%Y-%m}")

    def countersigned_in_force(self, month: date, answers: Mapping[int, str]) -> ScheduleVersion:
        """The version invoices of the month use: the latest one in force the PC countersigned.

        `answers` maps a version number to the PC's answer (`countersigned`, `declined`).
        A declined version is passed over (the terms agreed before it stand); a version the
        PC has not answered blocks the month, so a countersignature arriving late can never
        reprice a month invoiced meanwhile.
        """
        start = first_of_month(month)
        for version in reversed(self.versions):
            if version.effective_from > start:
                continue
            answer = answers.get(version.number)
            if answer is None:
                raise FeeScheduleNotCountersigned(
                    f"version {version.number} (from {version.effective_from}) is in force in "
                    f"{start:%Y-%m} but the PC has not countersigned it yet",
                    schedule_version=version.number,
                )
            if answer == "countersigned":
                return version
        raise NoFeeScheduleInForce(
            f"no version of the fee schedule countersigned by the PC is in force in {start:%Y-%m}"
        )

    def add_version(
        self,
        *,
        effective_from: date,
        kind: str,
        terms: Mapping[str, object],
        fmv: FmvBasis,
        invoiced_through: date | None,
        today: date,
        meta: Meta,
    ) -> ScheduleVersion:
        """A new version; `invoiced_through` is the latest month already invoiced."""
        parsed = FeeTerms.parse(kind, terms)
        if effective_from.day != 1:
            raise InvalidFeeSchedule(
                "a version takes effect on the first day of a month", field="effective_from"
            )
        if not fmv.assessed_by.strip() or not fmv.document_ref.strip():
            raise InvalidFeeSchedule(
                "name who assessed fair market value and the document", field="fmv_basis"
            )
        if fmv.assessed_on > today or fmv.assessed_on > effective_from:
            raise InvalidFeeSchedule(
                "the fair-market-value assessment must be dated on or before today and before "
                "the version takes effect",
                field="fmv_basis.assessed_on",
            )
        latest = self.latest
        if latest is not None and effective_from <= latest.effective_from:
            raise FeeScheduleVersionOutOfOrder(
                f"version {latest.number} takes effect on {latest.effective_from}; a new "
                "version must take effect later",
                latest_effective_from=latest.effective_from.isoformat(),
            )
        if invoiced_through is not None and effective_from <= invoiced_through:
            raise FeeScheduleVersionOutOfOrder(
                f"{invoiced_through:%Y-%m} is invoiced already; a new version must take effect "
                "after the last invoiced month",
                invoiced_through=f"{invoiced_through:%Y-%m}",
            )
        fmv = FmvBasis(fmv.assessed_by.strip(), fmv.assessed_on, fmv.document_ref.strip())
        version = ScheduleVersion(
            len(self.versions) + 1, effective_from, parsed, fmv, meta.actor_id
        )
        self._propose(self.VersionAdded, version, meta)
        return self.versions[-1]

    class VersionAdded(VersionProposed):
        """A new version, proposed to the PC."""

    @event(VersionAdded)
    def _version_added(
        self,
        number: int,
        effective_from: date,
        kind: str,
        terms: dict[str, Decimal],
        fmv: dict[str, Any],
        meta: Meta,
    ) -> None:
        self.versions.append(
            ScheduleVersion(
                number=number,
                effective_from=effective_from,
                terms=FeeTerms(kind=kind, **terms),
                fmv=FmvBasis(**fmv),
                recorded_by=meta.actor_id,
            )
        )

    def resend_proposal(self, number: int, *, meta: Meta) -> ScheduleVersion:
        """Publish a version to the PC again, as it was proposed (for a version recorded
        before proposals were published, or one the PC never received)."""
        if not 1 <= number <= len(self.versions):
            raise FeeScheduleVersionNotFound(f"no version {number}")
        version = self.versions[number - 1]
        self._propose(self.ProposalResent, version, meta)
        return version

    class ProposalResent(VersionProposed):
        """A version proposed to the PC again, as it was."""

    @event(ProposalResent)
    def _proposal_resent(self) -> None:
        """Changes nothing here: the event is the message the PC receives."""

    def _propose(
        self, proposed: type[VersionProposed], version: ScheduleVersion, meta: Meta
    ) -> None:
        """`version` as the PC receives it, recorded as the event `proposed`."""
        self.trigger_event(
            proposed,
            number=version.number,
            effective_from=version.effective_from,
            kind=version.kind,
            terms=version.terms.as_dict(),
            fmv=version.fmv.as_dict(),
            meta=meta,
        )
