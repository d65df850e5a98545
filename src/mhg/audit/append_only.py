"""Append-only storage: the service's own database connection cannot change history.

Installed by the service's start-up (its migration step): triggers that refuse any
UPDATE or DELETE (and TRUNCATE on PostgreSQL) of the event log and of the seals.
Someone with the database owner's powers can still drop a trigger; that is what the
hash chain and signed heads are for.
"""

from __future__ import annotations

from sqlalchemy import text

from mhg.audit.ledger import Ledger

MESSAGE = "the event log is append-only"

_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION mhg_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def install(ledger: Ledger) -> None:
    protected = (ledger.events_table, "audit_seals")
    if ledger.location.is_sqlite:
        for engine, table in (
            (ledger.log_engine, ledger.events_table),
            (ledger.engine, "audit_seals"),
        ):
            with engine.begin() as conn:
                for operation in ("UPDATE", "DELETE"):
                    conn.execute(
                        text(
                            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} "
                            f"BEFORE {operation} ON {table} "
                            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                        )
                    )
        return
    with ledger.engine.begin() as conn:
        conn.execute(text(_POSTGRES_FUNCTION))
        for table in protected:
            conn.execute(
                text(
                    f"CREATE OR REPLACE TRIGGER {table}_append_only "
                    f"BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION mhg_refuse_change()"
                )
            )
            conn.execute(
                text(
                    f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION mhg_refuse_change()"
                )
            )
