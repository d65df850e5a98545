"""PC visit templates delivered to the MSO without the PC side: real contract messages in
real envelopes, applied by the MSO's real inbound policy.

The envelopes are tracked under a subscription of their own, so that their positions
never collide with the PC's real feed, which the same test may follow as well.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from contracts import ContractMessage, Envelope
from contracts.envelope import Actor
from contracts.v1.visit_template import VisitTemplateApprovedV1, VisitTemplateRetiredV1
from mhg.eventstore import AlreadyApplied
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.inbound import PcDecisionPolicy
from tests.integration.services import Pair

SUBSCRIPTION = "tests.pc-visit-templates"
APPROVED_AT = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
TEMPLATE = {
    "name": "Sports clearance, NP or PA, 20-minute visits",
    "service_line": "sports_clearance",
    "site_ids": None,
    "clinician_roles": ["np", "pa", "physician"],
    "visit_minutes": 20,
    "max_patients_per_clinician_hour": 12,
    "max_clinician_hours_per_day": 10,
    "effective_from": date(2026, 12, 1),
}


def envelope(app: MsoOpsApplication, message: ContractMessage) -> Envelope:
    """The message as the PC's feed would carry it, at the next position of our subscription."""
    position = (app.process_recorder.max_tracking_id(SUBSCRIPTION) or 0) + 1
    return Envelope(
        message_id=uuid.uuid4(),
        type=message.TYPE,
        version=message.VERSION,
        producer="pc-governance",
        position=position,
        occurred_at=APPROVED_AT,
        correlation_id=f"template-{position}",
        causation_id=f"template-{position}",
        actor=Actor(id="dr-lee", role="medical_director", org="pc"),
        payload=message.model_dump(mode="json"),
    )


def deliver(pair: Pair, message: ContractMessage, *, again: Envelope | None = None) -> Envelope:
    """Apply one message through the MSO's inbound policy, then bring read models up to date."""
    app = pair.mso_runtime.application
    assert isinstance(app, MsoOpsApplication)
    sent = again or envelope(app, message)
    with contextlib.suppress(AlreadyApplied):  # as the follower: a repeat is applied already
        PcDecisionPolicy(app, subscription=SUBSCRIPTION)(sent)
    pair.mso_runtime.projections.catch_up()
    return sent


def approved(
    template_id: UUID | None = None, version: int = 1, **changes: Any
) -> VisitTemplateApprovedV1:
    facts: dict[str, Any] = {
        **TEMPLATE,
        "template_id": template_id or uuid.uuid4(),
        "version": version,
        "decision_id": uuid.uuid4(),
        "basis": {"kind": "medical_director_act", "reference": "MD-ACT-11"},
        "approved_at": APPROVED_AT,
    }
    facts.update(changes)
    return VisitTemplateApprovedV1.model_validate(facts)


def retired(version: VisitTemplateApprovedV1, ended_on: date) -> VisitTemplateRetiredV1:
    return VisitTemplateRetiredV1(
        template_id=version.template_id,
        version=version.version,
        name=version.name,
        service_line=version.service_line,
        site_ids=version.site_ids,
        reason="replaced by the spring template",
        ended_on=ended_on,
        decision_id=uuid.uuid4(),
        retired_at=APPROVED_AT,
    )


def approve_template(pair: Pair, **changes: Any) -> str:
    """A PC-approved template (v1) the MSO has received; returns its id."""
    message = approved(**changes)
    deliver(pair, message)
    return str(message.template_id)
