"""What every capability of the PC application is: its commands and reads on the one store.

The application composes one capability per area (authorizations, protocols, clinicians,
quality, meetings, the MSA, ...) on the store every decision is kept in; a capability
loads an aggregate, lets it decide and saves through that store.
"""

from __future__ import annotations

from mhg.eventstore import ServiceApplication


class Capability:
    def __init__(self, store: ServiceApplication) -> None:
        self.store = store
