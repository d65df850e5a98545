"""The MSA fee schedule versions the MSO proposes, seen at the PC; the PC countersigns or
declines each (with a reason) by the roles of `msa_fee_schedule_countersignature`.

A version takes effect for invoices only once countersigned: the answer is published on
this service's feed and the MSO records it before it invoices with that version.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from mhg.bounded import Day
from mhg.declared import listed
from mhg.listing import Listing
from mhg.resource import Resource
from mhg.steps import changing
from services.pc_governance.api.dependencies import FeeScheduleDecider, Msa, PcReader
from services.pc_governance.api.msa.decisions import Answering, SubjectAnswer
from services.pc_governance.api.msa.schemas import (
    CountersignIn,
    DeclineIn,
    FeeScheduleVersionOut,
    FeeScheduleVersionRow,
)
from services.pc_governance.domain.msa import FeeScheduleProposal
from services.pc_governance.projections import msa as read_side

router = APIRouter(tags=["msa"])

Number = Annotated[int, Path(ge=1, le=100_000, description="The fee schedule version")]

VERSIONS = Listing(read_side.VERSIONS, FeeScheduleVersionRow)


async def _proposal_answer(answering: Answering, msa: Msa) -> SubjectAnswer[FeeScheduleProposal]:
    """The PC answers a fee schedule version at most once per Idempotency-Key (built on
    the event loop: it only names the commands)."""
    return SubjectAnswer(
        answering,
        msa.answer_fee_schedule_proposal,
        msa.fee_schedule_proposal,
        FeeScheduleVersionOut.of,
    )


ProposalAnswer = Annotated[SubjectAnswer[FeeScheduleProposal], Depends(_proposal_answer)]


@listed(router, "/msa/fee-schedule/versions", "listMsaFeeScheduleVersions", VERSIONS, PcReader)
def list_versions(
    status: Literal["proposed", "countersigned", "declined"] | None = None,
    effective_from: Annotated[Day | None, Query(description="In effect from this day on")] = None,
) -> None:
    """Fee schedule versions the MSO proposed, oldest first, with the PC's answers"""


FEE_SCHEDULE_VERSION = Resource(
    router,
    "/msa/fee-schedule/versions/{number}",
    Msa,
    FeeScheduleVersionOut.of,
    lambda msa: msa.fee_schedule_proposal,
    key=Number,
)
FEE_SCHEDULE_VERSION.shown(
    "getMsaFeeScheduleVersion",
    "One proposed fee schedule version: terms, fair-market-value basis, the answer",
    PcReader,
)


@changing(
    router,
    "/msa/fee-schedule/versions/{number}/countersign",
    "countersignMsaFeeScheduleVersion",
    answer=FeeScheduleVersionOut,
)
def countersign(
    number: Number, body: CountersignIn, caller: FeeScheduleDecider, answer: ProposalAnswer
) -> JSONResponse:
    """Countersign a proposed version, naming its day: from then the MSO invoices with it"""
    return answer(
        caller, number, body, countersign=True, reason=body.note, effective_from=body.effective_from
    )


@changing(
    router,
    "/msa/fee-schedule/versions/{number}/decline",
    "declineMsaFeeScheduleVersion",
    answer=FeeScheduleVersionOut,
)
def decline(
    number: Number, body: DeclineIn, caller: FeeScheduleDecider, answer: ProposalAnswer
) -> JSONResponse:
    """Decline a proposed version, with the reason: it is never used for invoices"""
    return answer(caller, number, body, countersign=False, reason=body.reason)
