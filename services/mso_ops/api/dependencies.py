"""Who may call what, as Annotated aliases the routers declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mhg.auth import Principal, Role
from mhg.web import require
from services.mso_ops.application import MsoOpsApplication


def application(request: Request) -> MsoOpsApplication:
    app: MsoOpsApplication = request.app.state.runtime.application
    return app


Ops = Annotated[MsoOpsApplication, Depends(application)]

MSO_READERS = (Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING, Role.AUDITOR)

MsoAdmin = Annotated[Principal, Depends(require(Role.MSO_ADMIN))]
MsoReader = Annotated[Principal, Depends(require(*MSO_READERS))]
Booker = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.VENDOR))]
AppointmentReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR, Role.VENDOR))
]
