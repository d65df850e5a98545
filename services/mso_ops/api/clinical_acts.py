"""Who a clinical act is recorded for: the PC clinician calling, never someone else.

A clinician acts under a PC-issued identity (a physician, app or medical_director
token) whose subject is their PC clinician id; a body that names another clinician is
refused (403), as is a subject that is no clinician id (docs/adr/0019).
"""

from __future__ import annotations

from uuid import UUID

from mhg.auth import Principal
from mhg.problems import Problem


def forbidden(detail: str) -> Problem:
    return Problem(
        403, "not-this-clinician", "A clinician records only their own clinical acts", detail
    )


def acting_clinician(caller: Principal, named: UUID | None) -> UUID:
    try:
        clinician_id = UUID(caller.subject)
    except ValueError:
        raise forbidden(
            f"a clinical act is recorded under the clinician's PC id; {caller.subject!r} is none"
        ) from None
    if named is not None and named != clinician_id:
        raise forbidden(f"clinician {clinician_id} may not record an act for {named}")
    return clinician_id
