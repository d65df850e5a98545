"""The access log over HTTP: recording a read as it happens, and listing the reads.

A route that returns patient-identifying data takes `RecordsPatientReads` and calls it
with the caller, the record and the patient's name and date of birth (turned into the
patient's keyed reference here) before answering. The purpose of use comes from the
`X-Purpose-Of-Use` header (default `operations`); an unknown purpose is a 422.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, Column, ColumnElement, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg import problems
from mhg.access import PURPOSES, PatientDataRead, as_row, new_read, patient_ref
from mhg.auth import Principal, Role
from mhg.bounded import Instant
from mhg.columns import UTCDateTime
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.problems import Problem
from mhg.projection import Projection
from mhg.routes import Runtime
from mhg.web import command_meta, require

TABLE = "patient_data_reads"


def define(metadata: MetaData) -> None:
    Table(
        TABLE,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("position", BigInteger, nullable=False, unique=True),
        Column("read_at", UTCDateTime, nullable=False, index=True),
        Column("record_kind", String(40), nullable=False),
        Column("record_id", Uuid, nullable=False, index=True),
        Column("patient_ref", String(32), nullable=False, index=True),
        Column("purpose", String(30), nullable=False),
        Column("actor_id", String(200), nullable=False, index=True),
        Column("actor_role", String(40), nullable=False),
        Column("actor_org", String(20), nullable=False),
        Column("request_id", String(200), nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables[TABLE]
    add = table.insert()  # built once, run with each read's row

    def recorded(conn: Connection, event: object, position: int) -> None:
        conn.execute(add, as_row(event, position))

    return Projection(
        name=TABLE,
        tables=[table],
        handlers={PatientDataRead.Recorded: recorded},
    )


PurposeHeader = Annotated[
    str,
    Header(
        alias="X-Purpose-Of-Use",
        max_length=30,
        description=f"Why the patient's data is read: one of {', '.join(PURPOSES)}",
    ),
]


PatientReadRecorder = Callable[[Principal, str, UUID, str, "date | str"], None]


async def patient_read_recorder(
    request: Request, rt: Runtime, purpose: PurposeHeader = "operations"
) -> PatientReadRecorder:
    """Records one read (who, which record, which patient, why) before the data leaves.

    On the event loop: it checks the purpose and builds the recorder; the recording (a
    save) happens when the route calls it, in the route's worker thread."""
    if purpose not in PURPOSES:
        raise Problem(
            422,
            "invalid-purpose-of-use",
            "Unknown purpose of use",
            f"X-Purpose-Of-Use must be one of {', '.join(PURPOSES)}",
        )

    def record(
        caller: Principal, record_kind: str, record_id: UUID, name: str, born: date | str
    ) -> None:
        read = new_read(
            record_kind=record_kind,
            record_id=record_id,
            patient=patient_ref(rt.settings.auth_secret, name, born),
            purpose=purpose,
            meta=command_meta(request, caller),
        )
        rt.application.record(read)

    return record


RecordsPatientReads = Annotated[PatientReadRecorder, Depends(patient_read_recorder)]


class PatientDataReadOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "6f1c2a8e-8d1e-4a36-9a41-3f0c1d2b9e10",
                    "read_at": "2026-11-23T14:05:00Z",
                    "record_kind": "appointment",
                    "record_id": "0b7a5d7c-2a4e-4c61-8d7b-9a1f3c5e7d20",
                    "patient_ref": "4e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b",
                    "purpose": "operations",
                    "actor_id": "sam",
                    "actor_role": "mso_scheduler",
                    "actor_org": "mso",
                    "request_id": "req-42",
                }
            ]
        }
    )

    id: UUID
    read_at: datetime
    record_kind: str
    record_id: UUID
    patient_ref: str = Field(description="Keyed reference to the patient, not the patient")
    purpose: str
    actor_id: str
    actor_role: str
    actor_org: str
    request_id: str


AccessAuditor = Annotated[Principal, Depends(require(Role.AUDITOR, Role.MSO_ADMIN))]


def access_log_router() -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get(
        "/access-log",
        operation_id="listPatientDataReads",
        summary="Every read of patient-identifying data: per patient, per user, per period",
        response_model=Page[PatientDataReadOut],
        responses=problems.responses(401, 403, 422),
    )
    def list_reads(
        rt: Runtime,
        _caller: AccessAuditor,
        cursor: CursorParam = None,
        limit: LimitParam = 50,
        patient_ref: Annotated[str | None, Query(max_length=32)] = None,
        actor_id: Annotated[str | None, Query(max_length=200)] = None,
        record_id: UUID | None = None,
        read_from: Instant | None = None,
        read_before: Instant | None = None,
    ) -> Page[PatientDataReadOut]:
        table = rt.store.metadata.tables[TABLE]
        filters: list[ColumnElement[bool]] = []
        if patient_ref:
            filters.append(table.c.patient_ref == patient_ref)
        if actor_id:
            filters.append(table.c.actor_id == actor_id)
        if record_id:
            filters.append(table.c.record_id == record_id)
        if read_from:
            filters.append(table.c.read_at >= read_from)
        if read_before:
            filters.append(table.c.read_at < read_before)
        rows, next_cursor = read_page(
            rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
        )
        return Page[PatientDataReadOut](
            items=[PatientDataReadOut.model_validate(row) for row in rows],
            next_cursor=next_cursor,
        )

    return router
