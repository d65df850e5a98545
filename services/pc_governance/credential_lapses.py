"""Credentials lapse on their date without anyone calling anything (docs/adr/0019).

The service's periodic work runs the expiry sweep as of today once a day (and at
start): every credential whose date has passed is recorded expired, and a clinician
who loses eligibility by it is published to the MSO on the feed, as when the sweep is
called over HTTP (`POST /credentials/expirations`, which stays for a back-dated sweep).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

from mhg.meta import Meta
from services.pc_governance.application import PcGovernanceApplication, clock

log = logging.getLogger(__name__)

SWEEPER = "pc-governance-credential-sweep"


def sweeper_meta() -> Meta:
    run = f"sweep-{uuid.uuid4()}"
    return Meta(
        actor_id=SWEEPER,
        actor_role="service",
        actor_org="pc",
        request_id=run,
        correlation_id=run,
        causation_id=run,
    )


class CredentialLapses:
    """The daily sweep: a call does the work only when the day has turned since the last."""

    def __init__(self, application: PcGovernanceApplication) -> None:
        self.application = application
        self.swept_on: date | None = None

    def __call__(self) -> None:
        today = clock.today()
        if self.swept_on == today:
            return
        swept = self.application.clinicians.record_expirations(as_of=today, meta=sweeper_meta())
        self.swept_on = today
        if swept:
            log.info(
                "credential sweep as of %s: %d clinician(s) with lapsed credentials",
                today,
                len(swept),
            )
