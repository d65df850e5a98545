"""MSO Operations: commands load an aggregate, let it decide, and save its events.

One eventsourcing Application composed of a command set per capability (a module
each), so that every command saves to the same store and the same log.
"""

from __future__ import annotations

from services.mso_ops.application.appointments import AppointmentCommands
from services.mso_ops.application.pc_decisions import PcDecisionCommands


class MsoOpsApplication(
    AppointmentCommands,
    PcDecisionCommands,
):
    name = "mso_ops"


__all__ = ["MsoOpsApplication"]
