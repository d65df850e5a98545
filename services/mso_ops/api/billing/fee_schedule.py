"""The MSA fee schedule: versions the MSO proposes and the PC countersigns or declines.

A version is published to the PC on the contract feed when it is added; invoices use it
only once the PC's countersignature has arrived through the PC's feed.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Day
from mhg.changes import Change
from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing, month_start
from mhg.meta import Meta
from mhg.routed import routed
from mhg.steps import changing
from mhg.web import IfMatch, expected_version
from services.mso_ops.api.billing.msa_fee_schemas import (
    AddedVersionOut,
    FeeKind,
    FeeScheduleOut,
    FeeScheduleVersionIn,
    FeeScheduleVersionOut,
    FeeScheduleVersionRow,
    FeeScheduleVersionStatus,
    FmvBasisIn,
    Month,
)
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, MsaFees
from services.mso_ops.domain.billing_errors import NoFeeScheduleInForce
from services.mso_ops.domain.fee_schedule import FmvBasis
from services.mso_ops.projections import msa_fees as fee_rows

router = APIRouter(tags=["billing"])

VERSIONS = Listing(fee_rows.VERSIONS, FeeScheduleVersionRow)


def _fmv(basis: FmvBasisIn) -> FmvBasis:
    return FmvBasis(basis.assessed_by, basis.assessed_on, basis.document_ref)


@created(
    router,
    "/billing/fee-schedule/versions",
    "addFeeScheduleVersion",
    AddedVersionOut,
    (401, 403, 409, 412, 422),
    description=(
        "A proposal to the PC: it is published on the contract feed and takes effect only "
        "once the PC countersigns it. Fixed monthly, percentage of net collections, or "
        "hybrid (base plus percentage, optional floor and cap). A term based on referrals or referral volume is refused "
        "with 422 `referral-based-fee-term`. A version takes effect on the first day of a "
        "month later than every earlier version and every invoiced month (409 otherwise)."
    ),
)
def add_fee_schedule_version(
    body: FeeScheduleVersionIn,
    create: Create,
    msa_fees: MsaFees,
    caller: BillingClerk,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Add a version of the MSA fee schedule, with its fair-market-value basis"""
    version = expected_version(if_match)

    def make(_id: UUID, meta: Meta) -> AddedVersionOut:
        schedule, added = msa_fees.add_fee_schedule_version(
            effective_from=body.effective_from,
            kind=body.kind,
            terms=body.terms.model_dump(),
            fmv=_fmv(body.fmv_basis),
            expected_version=version,
            meta=meta,
        )
        return AddedVersionOut.on(schedule, added)

    return create(
        caller,
        body,
        # versions are numbered in order: a repeat is refused as out of order
        make=make,
        answer=lambda added: added,
        location="/billing/fee-schedule/versions/{number}",
    )


@shown(router, "/billing/fee-schedule", "getFeeSchedule", BillingReader)
def get_fee_schedule(msa_fees: MsaFees) -> FeeScheduleOut:
    """The MSA fee schedule: every version, oldest first"""
    return FeeScheduleOut.of(msa_fees.fee_schedule(), msa_fees.fee_schedule_answers())


@listed(
    router, "/billing/fee-schedule/versions", "listFeeScheduleVersions", VERSIONS, BillingReader
)
def list_fee_schedule_versions(
    kind: FeeKind | None = None,
    status: FeeScheduleVersionStatus | None = None,
    effective_from: Annotated[Day | None, Query(description="In effect from this day on")] = None,
    effective_before: Annotated[Day | None, Query(description="In effect before this day")] = None,
) -> None:
    """Versions of the fee schedule, oldest first"""


@shown(
    router,
    "/billing/fee-schedule/versions/{number}",
    "getFeeScheduleVersion",
    BillingReader,
    versioned=False,
)
def get_fee_schedule_version(
    number: Annotated[int, Path(ge=1, le=100_000)], msa_fees: MsaFees
) -> FeeScheduleVersionOut:
    """One version of the fee schedule"""
    versions = msa_fees.fee_schedule().versions
    if number > len(versions):
        raise problems.Problem(
            404, "fee-schedule-version-not-found", "No such version", f"no version {number}"
        )
    return FeeScheduleVersionOut.of(versions[number - 1], msa_fees.fee_schedule_answer(number))


@routed(
    router,
    "GET /billing/fee-schedule/in-force",
    "getFeeScheduleInForce",
    404,
    409,
    422,
    description=(
        "The latest version in force for the month that the PC countersigned; a declined "
        "version is passed over. 409 `fee-schedule-not-countersigned` while the version in "
        "force for the month awaits the PC's answer; 404 when none countersigned applies."
    ),
)
def get_fee_schedule_in_force(
    month: Annotated[Month, Query()], msa_fees: MsaFees, _caller: BillingReader
) -> FeeScheduleVersionOut:
    """The version of the fee schedule invoices of a month use"""
    msa_fees.fee_schedule()  # 404 when no schedule is recorded at all
    try:
        in_force = msa_fees.countersigned_in_force(month_start(month))
    except NoFeeScheduleInForce as none:
        raise problems.Problem(
            404, "no-fee-schedule-in-force", "No version in force", none.detail
        ) from None
    return FeeScheduleVersionOut.of(in_force, msa_fees.fee_schedule_answer(in_force.number))


@changing(
    router,
    "/billing/fee-schedule/versions/{number}/proposal",
    "resendFeeScheduleProposal",
    description=(
        "For versions recorded before proposals were published on the contract feed (the "
        "PC never received them), or any the PC lost: the same terms go out again as "
        "`msa-fee-schedule.proposed`. 409 once the PC has answered the version."
    ),
)
def resend_fee_schedule_proposal(
    number: Annotated[int, Path(ge=1, le=100_000)],
    msa_fees: MsaFees,
    caller: BillingClerk,
    change: Change,
) -> AddedVersionOut:
    """Publish a version the PC has not answered to it again"""
    schedule, version = msa_fees.resend_fee_schedule_proposal(
        number, expected_version=change.expected_version(), meta=change.meta(caller)
    )
    return AddedVersionOut.on(change.answered(schedule), version)
