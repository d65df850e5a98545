"""Sites with their lifecycle status and readiness, the checklist evidence recorded at them,
and the service lines proposed at them, with their authorization status."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    update,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, equals, span, start_of_day
from mhg.projection import Handler, Projection
from mhg.projection_rows import MOMENT, copied, from_event, insert_on, status_steps, update_row
from mhg.read_models import aggregate_columns, in_log_order, projection_over, required
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.readiness_standard import documented
from services.mso_ops.domain.site import CLOSED, SUSPENDED, Site
from services.mso_ops.projections import column_groups as groups
from services.mso_ops.projections import go_live_standard, service_line_rows

STOPPED = (SUSPENDED, CLOSED)  # the statuses in which a site takes no bookings it had


def define(metadata: MetaData) -> None:
    Table(
        "mso_sites",
        metadata,
        *aggregate_columns(),
        groups.name(),
        Column("kind", String(20), nullable=False, index=True),
        Column("address", String(500), nullable=False),
        groups.row_status(30),
        Column("proposed_at", UTCDateTime, nullable=False, index=True),
        Column("readiness_met", Integer, nullable=False),  # of the go-live standard counted
        Column("readiness_items", Integer, nullable=False),  # the items of that standard
        Column("monthly_margin", String(32)),
        Column("payback_months", Integer),
        Column("go_live_request_id", Uuid),
        *groups.pc_answer(),
        Column("opened_on", Date),
        Column("stopped_at", UTCDateTime),  # since when a hold or the closure stops bookings
        groups.updated_at(),
    )
    Table(
        "mso_site_evidence",
        metadata,
        Column("position", BigInteger, primary_key=True, autoincrement=False),
        groups.site_id(),
        Column("item", String(30), nullable=False, index=True),
        *required(met=Boolean, recorded_by=String(200), recorded_at=UTCDateTime),
        Column("document_ref", String(200)),
        Column("note", String(2000)),
    )
    go_live_standard.define(metadata, "mso_site_go_live_standard")
    Table(
        "mso_service_lines",
        metadata,
        *aggregate_columns(),
        groups.site_id(),
        Column("code", String(64), nullable=False, index=True),
        groups.row_status(30),
        Column("request_id", Uuid),
        *groups.pc_answer(),
        Column("withdrawn_at", UTCDateTime),  # when the PC last stopped its bookings
        groups.updated_at(),
    )


SITES = Selection(
    "mso_sites", status=equals(), kind=equals(), **span("proposed", "proposed_at", start_of_day)
)
EVIDENCE = Selection("mso_site_evidence", site_id=equals(), item=equals(), met=equals())
SERVICE_LINES = Selection("mso_service_lines", site_id=equals(), status=equals())


def _site_handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    sites = metadata.tables["mso_sites"]
    evidence = metadata.tables["mso_site_evidence"]

    standards = metadata.tables["mso_site_go_live_standard"]

    site_proposed = insert_on(
        sites,
        "name",
        "kind",
        "address",
        status="proposed",
        proposed_at=MOMENT,
        readiness_met=0,
        readiness_items=0,
        updated_at=MOMENT,
    )

    def proposed(conn: Connection, event: Any, position: int) -> None:
        site_proposed(conn, event, position)
        # counted by the store inside the write: a tick still reads only its positions
        conn.execute(
            update(sites)
            .where(sites.c.id == event.originator_id)
            .values(readiness_items=go_live_standard.items_in_force(standards))
        )

    # A lifecycle event: the status it tells, and what else it sets.
    moved = partial(status_steps(sites, updated_at=MOMENT), from_event("status"))

    def latest_evidence(conn: Connection, *where: Any) -> dict[Any, dict[str, tuple[bool, bool]]]:
        """Each site's items, (met, on a document) as last recorded."""
        columns = ("site_id", "item", "met", "document_ref")
        latest: dict[Any, dict[str, tuple[bool, bool]]] = {}
        for site_id, item, met, document_ref in conn.execute(
            in_log_order(evidence, *columns).where(*where)
        ):
            latest.setdefault(site_id, {})[item] = (bool(met), documented(document_ref))
        return latest

    def evidence_recorded(conn: Connection, event: Any, position: int) -> None:
        told = copied(event, "item", "met", "recorded_by", "recorded_at", "document_ref", "note")
        conn.execute(
            evidence.insert().values(position=position, site_id=event.originator_id, **told)
        )
        latest = latest_evidence(conn, evidence.c.site_id == event.originator_id)
        standard = go_live_standard.counted(conn, standards)
        update_row(
            conn,
            sites,
            event,
            readiness_met=standard.met_count(latest.get(event.originator_id, {})),
            readiness_items=len(standard.items),
            updated_at=event.timestamp,
        )

    def recount(conn: Connection, _event: Any) -> None:
        """Every site's readiness, against the go-live version just received."""
        standard = go_live_standard.counted(conn, standards)
        conn.execute(update(sites).values(readiness_met=0, readiness_items=len(standard.items)))
        for site_id, items in latest_evidence(conn).items():
            met = standard.met_count(items)
            conn.execute(update(sites).where(sites.c.id == site_id).values(readiness_met=met))

    def pro_forma_set(conn: Connection, event: Any, _position: int) -> None:
        figures = ProForma.from_dict(event.pro_forma)
        update_row(
            conn,
            sites,
            event,
            monthly_margin=str(figures.monthly_margin),
            payback_months=figures.payback_months,
            updated_at=event.timestamp,
        )

    def pc_act(conn: Connection, event: Any, _position: int) -> None:
        """A hold, release or closure: by the PC it names its decision, by the MSO none.

        Bookings stop at the first hold or the closure (a second hold or a closure of a
        suspended site keeps that moment) and start again when the last hold is lifted.
        """
        values: dict[str, Any] = {"status": event.status, "updated_at": event.timestamp}
        if event.decision_id is not None:
            values["decision_id"] = event.decision_id
        if event.status not in STOPPED:
            values["stopped_at"] = None
        this_site = sites.c.id == event.originator_id
        conn.execute(update(sites).where(this_site).values(**values))
        if event.status in STOPPED:
            conn.execute(
                update(sites)
                .where(this_site, sites.c.stopped_at.is_(None))
                .values(stopped_at=event.timestamp)
            )

    return {
        **go_live_standard.handlers(standards, recount),
        Site.Proposed: proposed,
        Site.ReadinessStarted: moved(),
        Site.ChecklistEvidenceRecorded: evidence_recorded,
        Site.ProFormaSet: pro_forma_set,
        Site.GoLiveRequested: moved(
            go_live_request_id=from_event("request_id"), **groups.UNANSWERED
        ),
        Site.GoLiveApproved: moved(**groups.approval()),
        Site.GoLiveDenied: moved(
            authorization_id=from_event("authorization_id"), decision_id=from_event("decision_id")
        ),
        Site.Opened: moved(opened_on=from_event("opened_on")),
        Site.Held: pc_act,
        Site.Released: pc_act,
        Site.Closed: pc_act,
    }


def projection(metadata: MetaData) -> Projection:
    return projection_over(
        metadata,
        "mso_sites",
        ("mso_sites", "mso_site_evidence", "mso_site_go_live_standard", "mso_service_lines"),
        _site_handlers(metadata),
        service_line_rows.handlers(metadata),
    )
