"""Who may call what: deciding routes admit only the roles the decision-rights table names."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mhg.auth import Principal, Role
from mhg.web import require
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.domain.decision_rights import AUTHORIZE_SERVICE_LINE, deciding_roles


def application(request: Request) -> PcGovernanceApplication:
    app: PcGovernanceApplication = request.app.state.runtime.application
    return app


Governance = Annotated[PcGovernanceApplication, Depends(application)]

PC_READERS = (Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY, Role.AUDITOR)

PcReader = Annotated[Principal, Depends(require(*PC_READERS))]
AuthorizationDecider = Annotated[
    Principal, Depends(require(*(Role(r) for r in deciding_roles(AUTHORIZE_SERVICE_LINE))))
]
