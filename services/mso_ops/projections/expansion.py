"""The expansion pipeline's read model: prospective sites by stage, and their short lists.

A prospect's row keeps its stage (as each event says), how many accounts its short list
names, whether it has a pro forma, the board's last outcome and the site it became; the
short list has a row per account, so a list can find the prospects naming an account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Uuid, insert
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equal_columns, linked
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, required
from services.mso_ops.domain.prospect import IDENTIFIED, ProspectiveSite
from services.mso_ops.projections.column_groups import name, updated_at


def define(metadata: MetaData) -> None:
    Table(
        "mso_prospects",
        metadata,
        *aggregate_columns(),
        name(),
        *required(kind=String(20), area=String(500)),
        Column("stage", String(20), nullable=False, index=True),
        *required(account_count=Integer, has_market=Boolean, has_pro_forma=Boolean),
        Column("board_outcome", String(20)),
        Column("board_held_on", Date),
        Column("site_id", Uuid, index=True),
        Column("identified_at", UTCDateTime, nullable=False),
        updated_at(),
    )
    Table(
        "mso_prospect_accounts",
        metadata,
        Column("prospect_id", Uuid, primary_key=True),
        Column("name", String(200), primary_key=True),
        Column("kind", String(30), nullable=False),
        Column("account_id", Uuid, index=True),
    )


PROSPECTS = Selection(
    "mso_prospects",
    **equal_columns("stage", "kind"),
    account_id=linked("mso_prospect_accounts", "prospect_id"),
)


def projection(metadata: MetaData) -> Projection:
    prospects = metadata.tables["mso_prospects"]
    accounts = metadata.tables["mso_prospect_accounts"]
    c = prospects.c

    def moved(**values: Any) -> Any:
        return set_on_row(prospects, stage=from_event("stage"), updated_at=MOMENT, **values)

    counted = moved(account_count=c.account_count + 1)

    def shortlisted(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            insert(accounts).values(
                prospect_id=event.originator_id,
                name=event.name,
                kind=event.kind,
                account_id=event.account_id,
            )
        )
        counted(conn, event, position)

    return Projection(
        name="mso_expansion",
        tables=[prospects, accounts],
        handlers={
            ProspectiveSite.Identified: insert_on(
                prospects,
                *("name", "kind", "area"),
                stage=IDENTIFIED,
                account_count=0,
                has_market=False,
                has_pro_forma=False,
                identified_at=MOMENT,
                updated_at=MOMENT,
            ),
            ProspectiveSite.MarketAssessed: moved(has_market=True),
            ProspectiveSite.AccountShortlisted: shortlisted,
            ProspectiveSite.ProFormaSet: moved(has_pro_forma=True),
            ProspectiveSite.BoardReviewed: moved(
                board_outcome=from_event("outcome"), board_held_on=from_event("held_on")
            ),
            ProspectiveSite.ConvertedToSite: moved(site_id=from_event("site_id")),
            ProspectiveSite.Withdrawn: moved(),
        },
    )
