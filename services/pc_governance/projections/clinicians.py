"""Clinicians, their credentials (for expiry alerts) and supervision assignments.

One projection, so an assignment can copy its parties' eligibility when it appears
and follow every later change of it: an assignment with an ineligible party is a
supervision violation. CLINICIANS, CREDENTIALS, ASSIGNMENTS and VIOLATIONS are what
their lists may select.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Date,
    MetaData,
    String,
    Table,
    Uuid,
    and_,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_most, equal_columns, equals, matching
from mhg.projection import Projection
from mhg.projection_rows import (
    ACTOR,
    copied,
    from_event,
    in_turn,
    insert_on,
    set_on_row,
    set_where,
)
from mhg.read_models import aggregate_columns, required, required_indexed
from services.pc_governance.domain.clinician import CREDENTIALING, ELIGIBLE, INELIGIBLE, Clinician
from services.pc_governance.domain.supervision import ACTIVE, ENDED, SupervisionStructure


def define(metadata: MetaData) -> None:
    Table(
        "pc_clinicians",
        metadata,
        *aggregate_columns(),
        Column("npi", String(20), nullable=False, unique=True),
        Column("name", String(200), nullable=False),
        Column("role", String(20), nullable=False, index=True),
        Column("status", String(20), nullable=False),
        Column("eligible", Boolean, nullable=False, index=True),
        *required(
            eligibility_reason=String(40),
            eligibility_changed_at=UTCDateTime,
            registered_at=UTCDateTime,
        ),
    )
    Table(
        "pc_credentials",
        metadata,
        *aggregate_columns(),
        Column("clinician_id", Uuid, nullable=False, index=True),
        Column("clinician_name", String(200), nullable=False),
        Column("kind", String(30), nullable=False, index=True),
        *required(number=String(64), issuer=String(100), issued_on=Date),
        Column("expires_on", Date, nullable=False, index=True),
        Column("status", String(20), nullable=False),
        Column("verified_on", Date),
        Column("verified_by", String(128)),
        Column("source", String(500)),
    )
    Table(
        "pc_supervision_assignments",
        metadata,
        *aggregate_columns(),
        *required_indexed(app_id=Uuid, physician_id=Uuid),
        Column("effective_from", Date, nullable=False),
        Column("effective_to", Date, index=True),
        *required(status=String(20), app_eligible=Boolean, physician_eligible=Boolean),
    )


# A clinician is registered not eligible, from the moment of registration.
UNTIL_CREDENTIALED = {
    "eligible": False,
    "eligibility_reason": "registered",
    "eligibility_changed_at": from_event("registered_at"),
}


def _status(eligible: bool) -> str:
    return ELIGIBLE if eligible else INELIGIBLE


def projection(metadata: MetaData) -> Projection:
    clinicians = metadata.tables["pc_clinicians"]
    credentials = metadata.tables["pc_credentials"]
    assignments = metadata.tables["pc_supervision_assignments"]

    registered = insert_on(
        clinicians,
        *("npi", "name", "role", "registered_at"),
        status=CREDENTIALING,
        **UNTIL_CREDENTIALED,
    )

    # The clinician's eligibility, copied to every assignment naming them as either party.
    eligibility_changed = in_turn(
        set_on_row(
            clinicians,
            status=from_event("eligible", _status),
            eligible=from_event("eligible"),
            eligibility_reason=from_event("reason"),
            eligibility_changed_at=from_event("effective_at"),
        ),
        *(
            set_where(
                assignments,
                f"{party}_id",
                "originator_id",
                **{f"{party}_eligible": from_event("eligible")},
            )
            for party in ("app", "physician")
        ),
    )

    def credential_added(conn: Connection, event: Any, position: int) -> None:
        name = conn.execute(
            select(clinicians.c.name).where(clinicians.c.id == event.originator_id)
        ).scalar_one()
        conn.execute(
            credentials.insert().values(
                id=event.credential_id,
                position=position,
                clinician_id=event.originator_id,
                clinician_name=name,
                **copied(event, "kind", "number", "issuer", "issued_on", "expires_on"),
                status="unverified",
            )
        )

    credential = partial(set_where, credentials, "id", "credential_id")
    verified = {
        "status": "verified",
        "verified_on": from_event("verified_on"),
        "verified_by": ACTOR,
        "source": from_event("source"),
    }

    def eligible(conn: Connection, clinician_id: Any) -> bool:
        value = conn.execute(
            select(clinicians.c.eligible).where(clinicians.c.id == clinician_id)
        ).scalar()
        return bool(value)

    def assigned(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            assignments.insert().values(
                id=event.assignment_id,
                position=position,
                **copied(event, "app_id", "physician_id", "effective_from", "effective_to"),
                status=ACTIVE,
                app_eligible=eligible(conn, event.app_id),
                physician_eligible=eligible(conn, event.physician_id),
            )
        )

    return Projection(
        name="pc_clinicians",
        tables=[clinicians, credentials, assignments],
        handlers={
            Clinician.Registered: registered,
            Clinician.EligibilityChanged: eligibility_changed,
            Clinician.CredentialAdded: credential_added,
            Clinician.CredentialVerified: credential(**verified),
            Clinician.CredentialRenewed: credential(
                **verified, expires_on=from_event("expires_on")
            ),
            Clinician.CredentialExpired: credential(status="expired"),
            SupervisionStructure.Assigned: assigned,
            SupervisionStructure.AssignmentEnded: set_where(
                assignments,
                "id",
                "assignment_id",
                status=ENDED,
                effective_to=from_event("effective_to"),
            ),
        },
    )


CLINICIANS = Selection("pc_clinicians", role=equals(), eligible=equals())
CREDENTIALS = Selection(
    "pc_credentials",
    expiring_by=at_most("expires_on"),
    **equal_columns("clinician_id", "kind", "status"),
)


def _not_over(table: Table, day: date) -> ColumnElement[bool]:
    """Not ended before `day`: in force on it, or starting later."""
    return or_(table.c.effective_to.is_(None), table.c.effective_to >= day)


def _in_force(table: Table, day: date) -> ColumnElement[bool]:
    return and_(table.c.effective_from <= day, _not_over(table, day))


def _someone_ineligible(table: Table, _: object) -> ColumnElement[bool]:
    return or_(table.c.physician_eligible.is_(False), table.c.app_eligible.is_(False))


PARTIES = {"physician_id": equals(), "app_id": equals()}
ASSIGNMENTS = Selection(
    "pc_supervision_assignments", **PARTIES, active_on=matching(_in_force), status=equals()
)
VIOLATIONS = Selection(
    "pc_supervision_assignments",
    **PARTIES,
    not_over_on=matching(_not_over),
    someone_ineligible=matching(_someone_ineligible),
)
