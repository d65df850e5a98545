"""A context's parts, gathered from the modules every context names the same way.

Each context has an `outbound` module (its producer name and the translators of its
events into contract messages), a `projections` module (its read models' tables and
projections) and an `inbound` module (the peer feed it subscribes to); the runtime takes
them, with the application and the inbound policy, as one `ServiceParts`:

    PARTS = parts_of(MsoOpsApplication, inbound.PcDecisionPolicy, inbound, outbound, projections)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import MetaData

from contracts import Envelope
from mhg.eventstore import ServiceApplication, StoreLocation
from mhg.feed import Translator
from mhg.projection import Projection
from mhg.runtime import ServiceParts


class InboundModule(Protocol):
    @property
    def SUBSCRIPTION(self) -> str: ...


class OutboundModule(Protocol):
    @property
    def PRODUCER(self) -> str: ...

    @property
    def OUTBOUND(self) -> Mapping[type[Any], Translator]: ...


class ProjectionsModule(Protocol):
    def build_metadata(self) -> MetaData: ...

    def projections(self, metadata: MetaData) -> Sequence[Projection]: ...


def parts_of(
    application: Callable[[StoreLocation], ServiceApplication],
    policy: Callable[[Any], Callable[[Envelope], None]],
    inbound: InboundModule,
    outbound: OutboundModule,
    projections: ProjectionsModule,
    **more: Any,
) -> ServiceParts:
    """The context's parts; `more` are those only some contexts have (`ServiceParts`)."""
    return ServiceParts(
        service=outbound.PRODUCER,
        application=application,
        metadata=projections.build_metadata,
        projections=projections.projections,
        outbound=outbound.OUTBOUND,
        subscription=inbound.SUBSCRIPTION,
        inbound=policy,
        **more,
    )
