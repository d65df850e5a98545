"""Claims for lists, filters and the billing KPIs. Amounts are kept in cents.

Per claim, what the KPIs read (docs/domain.md#kpis): the billed amount and submission day
(claims and charges submitted), `clean` (not denied at first response), `initially_denied`
(first adjudication was a denial), and for days in A/R the open balance (`ar_balance_cents`:
the billed amount until the claim is paid) and `days_to_payment`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection

from mhg.listing import Selection, equals, span
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, row_of, update_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.claim_lifecycle import ACCEPTED, APPEALED, DENIED, PAID, SUBMITTED
from services.mso_ops.domain.msa_fee import to_cents
from services.mso_ops.projections import column_groups as groups


def define(metadata: MetaData) -> None:
    Table(
        "mso_claims",
        metadata,
        *aggregate_columns(),
        *groups.site_and_line(),
        *required(
            payer=String(200), claim_number=String(64), billed_cents=BigInteger, service_date=Date
        ),
        Column("submitted_on", Date, nullable=False, index=True),
        groups.row_status(),
        Column("accepted_on", Date),
        Column("denied_on", Date),
        Column("denial_reason", String(20)),
        Column("appealed_on", Date),
        *required(denials=Integer, appeals=Integer),
        Column("paid_on", Date, index=True),
        Column("paid_cents", BigInteger),
        Column("refunded_cents", BigInteger, nullable=False),
        Column("first_response", String(20)),
        Column("clean", Boolean),
        Column("initially_denied", Boolean),
        Column("ar_balance_cents", BigInteger, nullable=False),
        Column("days_to_payment", Integer),
        groups.updated_at(),
    )


CLAIMS = Selection(
    "mso_claims",
    status=equals(),
    **groups.SITE_AND_LINE,
    initially_denied=equals(),
    **span("submitted", "submitted_on"),
)


def _first(event: Any, outcome: str) -> dict[str, Any]:
    """The KPI columns a response sets, when the event says it came first."""
    values: dict[str, Any] = {}
    if event.first_response:
        values.update(first_response=outcome, clean=outcome != DENIED)
    if getattr(event, "first_adjudication", False):
        values["initially_denied"] = outcome == DENIED
    return values


def projection(metadata: MetaData) -> Projection:
    claims = metadata.tables["mso_claims"]
    c = claims.c

    def change(conn: Connection, event: Any, **values: Any) -> None:
        update_row(conn, claims, event, updated_at=event.timestamp, **values)

    billed = from_event("billed_amount", to_cents)
    submitted = insert_on(
        claims,
        *("site_id", "service_line", "payer", "claim_number", "service_date", "submitted_on"),
        billed_cents=billed,
        status=SUBMITTED,
        denials=0,
        appeals=0,
        refunded_cents=0,
        ar_balance_cents=billed,  # nothing paid yet
        updated_at=MOMENT,
    )

    def accepted(conn: Connection, event: Any, _position: int) -> None:
        change(conn, event, status=ACCEPTED, accepted_on=event.on, **_first(event, ACCEPTED))

    def denied(conn: Connection, event: Any, _position: int) -> None:
        change(
            conn,
            event,
            status=DENIED,
            denied_on=event.on,
            denial_reason=event.reason_code,
            denials=c.denials + 1,
            **_first(event, DENIED),
        )

    def appealed(conn: Connection, event: Any, _position: int) -> None:
        change(conn, event, status=APPEALED, appealed_on=event.on, appeals=c.appeals + 1)

    def paid(conn: Connection, event: Any, _position: int) -> None:
        submitted_on = row_of(conn, claims, event, "submitted_on").submitted_on
        change(
            conn,
            event,
            status=PAID,
            paid_on=event.on,
            paid_cents=to_cents(event.amount),
            ar_balance_cents=0,
            **_first(event, PAID),
            days_to_payment=(event.on - submitted_on).days,
        )

    def refunded(conn: Connection, event: Any, _position: int) -> None:
        change(conn, event, refunded_cents=c.refunded_cents + to_cents(event.amount))

    return Projection(
        name="mso_claims",
        tables=[claims],
        handlers={
            Claim.Submitted: submitted,
            Claim.Accepted: accepted,
            Claim.Denied: denied,
            Claim.Appealed: appealed,
            Claim.Paid: paid,
            Claim.Refunded: refunded,
        },
    )
