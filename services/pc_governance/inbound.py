"""How PC Governance reacts to MSO Operations' messages: a request becomes a pending item."""

from __future__ import annotations

import logging

from eventsourcing.persistence import Tracking

from contracts import Envelope, UnknownMessageError, parse_message
from contracts.v1.authorization import AuthorizationRequestedV1
from mhg.feed import reaction_meta
from services.pc_governance.application import PcGovernanceApplication

log = logging.getLogger(__name__)

SUBSCRIPTION = "mso-ops.feed.v1"
CONSUMER = "pc-governance"


class MsoRequestPolicy:
    def __init__(self, app: PcGovernanceApplication) -> None:
        self.app = app

    def __call__(self, envelope: Envelope) -> None:
        tracking = Tracking(application_name=SUBSCRIPTION, notification_id=envelope.position)
        try:
            message = parse_message(envelope)
        except UnknownMessageError:
            log.info(
                "skipping %s v%s: not a message PC Governance uses", envelope.type, envelope.version
            )
            self.app.skip_message(tracking)
            return
        if not isinstance(message, AuthorizationRequestedV1):
            self.app.skip_message(tracking)
            return
        self.app.receive_authorization_request(
            request_id=message.request_id,
            kind=message.kind,
            site_id=message.site_id,
            site_name=message.site_name,
            service_line=message.service_line,
            readiness=message.readiness.model_dump(mode="json"),
            requested_at=message.requested_at,
            meta=reaction_meta(envelope, CONSUMER),
            tracking=tracking,
        )
