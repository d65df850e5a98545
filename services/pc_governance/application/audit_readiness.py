"""The audit-readiness query: the required items read from the read models
(projections/audit_readiness.py), then judged.

Which items are required as of a day:
- every protocol with a standing (approved, not retired) version, against its review date;
- every meeting adjourned on or before the day, against its minutes' approval;
- every credential on file, against its expiry and verification;
- every corrective action opened on or before the day, against its due day;
- every month whose last day has come by the day, from the period of the first meeting
  the PC scheduled, against a meeting held for it (its period) on or before the day;
- the audit chain, once.
The read models are read as they stand now; `as_of` is the day the dates are judged on.
(For the records as they stood on a past day, replay the log: `mhg audit replay`.)

"Chain verifying" is a cheap check, not a walk of the whole log (`mhg audit verify`
does that offline): something is sealed whenever the log holds records; the record at
the last sealed position still has the digest sealed for it; and the sealer keeps up:
records after the last seal are tolerated only while the last seal is younger than
SEALER_GRACE (the sealer runs about once a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mhg.audit.chain import digest
from mhg.audit.ledger import Ledger
from mhg.readstore import ReadStore
from services.pc_governance.domain import audit_readiness as kpi
from services.pc_governance.projections.audit_readiness import RequiredRecords, required_records

SEALER_GRACE = timedelta(minutes=1)
CHAIN_TITLE = "The hash-chained event log of PC Governance"


@dataclass(frozen=True)
class ChainStatus:
    verifying: bool
    log_head: int
    sealed_position: int | None
    sealed_at: datetime | None
    detail: str


@dataclass(frozen=True)
class Readiness:
    kpi: kpi.AuditReadiness
    chain: ChainStatus


def chain_status(ledger: Ledger, now: datetime) -> ChainStatus:
    head, last = ledger.log_head(), ledger.last_seal()
    if last is None:
        detail = "the log holds no record yet" if head == 0 else "no record is sealed yet"
        return ChainStatus(head == 0, head, None, None, detail)
    stored = next(ledger.records(after=last.position - 1, batch=1), None)
    if stored is None or stored.position != last.position or digest(stored) != last.digest:
        detail = f"the record at the last sealed position {last.position} is not what was sealed"
        return ChainStatus(False, head, last.position, last.sealed_at, detail)
    behind = last.sealed_at is None or now - last.sealed_at > SEALER_GRACE
    if head > last.position and behind:
        detail = f"records after position {last.position} are not sealed: the sealer is behind"
        return ChainStatus(False, head, last.position, last.sealed_at, detail)
    detail = f"sealed to position {last.position}; the last seal matches its record"
    return ChainStatus(True, head, last.position, last.sealed_at, detail)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def _protocols(records: RequiredRecords, as_of: date) -> list[kpi.RequiredItem]:
    return [kpi.protocol(str(r.id), r.title, r.review_due, as_of) for r in records.protocols]


def _minutes(records: RequiredRecords, as_of: date) -> list[kpi.RequiredItem]:
    return [
        kpi.minutes(
            str(r.id),
            f"Minutes of the {r.period} governance meeting",
            r.adjourned_at.date(),
            _day(r.minutes_approved_at),
            as_of,
        )
        for r in records.meetings
        if r.adjourned_at.date() <= as_of
    ]


def _credentials(records: RequiredRecords, as_of: date) -> list[kpi.RequiredItem]:
    return [
        kpi.credential(
            str(r.id), f"{r.clinician_name}: {r.kind}", r.expires_on, r.verified_on, as_of
        )
        for r in records.credentials
    ]


def _actions(records: RequiredRecords, as_of: date) -> list[kpi.RequiredItem]:
    return [
        kpi.corrective_action(str(r.id), r.title, r.due_on, _day(r.completed_at), as_of)
        for r in records.corrective_actions
        if r.opened_at.date() <= as_of
    ]


def _meeting_months(records: RequiredRecords, as_of: date) -> list[kpi.RequiredItem]:
    held: dict[str, date] = {}
    for r in records.meetings:
        day = r.adjourned_at.date()
        held[r.period] = min(held.get(r.period, day), day)
    return [
        kpi.meeting_month(month, held.get(month), as_of)
        for month in kpi.calendar_months(records.first_period, as_of)
    ]


JUDGES = (_protocols, _minutes, _credentials, _actions, _meeting_months)


def audit_readiness(store: ReadStore, ledger: Ledger, *, as_of: date, now: datetime) -> Readiness:
    records = required_records(store)
    items = [item for judge in JUDGES for item in judge(records, as_of)]
    chain = chain_status(ledger, now)
    items.append(kpi.audit_chain(CHAIN_TITLE, chain.verifying, _day(chain.sealed_at)))
    return Readiness(kpi.audit_readiness(as_of, items), chain)


__all__ = ["ChainStatus", "Readiness", "audit_readiness", "chain_status"]
