"""The two shapes of an application command on one aggregate, written once.

A command that records a new aggregate refuses one whose id is recorded already (a
retried create, a message delivered twice) and saves it, with the consumed feed position
when it comes from a feed:

    return record_new(self.store, claim, ClaimAlreadySubmitted(f"claim {n} is submitted already"))

A command that only makes a new aggregate from its fields and saves it is a row too; a
field the aggregate names otherwise is renamed (`protocol_id` is the protocol's `id`):

    draft_protocol = new(Protocol.draft, protocol_id="id")

A command that takes one step on a recorded aggregate loads it, checks the version the
caller read and lets one of its methods decide; the command's fields go to the method by
name, its further ids in order, and what `stamp` gives when it runs (the context's clock):

    class ClaimCommands:
        def claim(self, claim_id: UUID) -> Claim: ...

        deny_claim = step(claim, Claim.deny, clock.dated)

`ClaimCommands().deny_claim(claim_id, reason_code=..., expected_version=..., meta=...)`
runs `claim.deny(reason_code=..., today=<today>, meta=...)` (`clock.dated()` gives
`{"today": <today>}`) and saves it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Generic, Protocol, TypeVar, overload
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta

A = TypeVar("A", bound=Aggregate)


class OnStore(Protocol):
    """A capability of an application: its commands save through `store`."""

    store: ServiceApplication


C = TypeVar("C", bound=OnStore)


def record_new(
    store: ServiceApplication, aggregate: A, refusal: Exception, tracking: Tracking | None = None
) -> A:
    """Save a new aggregate, or raise `refusal` when its id is recorded already."""
    if aggregate.id in store.repository:
        raise refusal
    store.record(aggregate, tracking=tracking)
    return aggregate


class Step(Generic[C, A]):
    """A command that loads one aggregate, checks the version and runs one of its methods."""

    def __init__(
        self,
        load: Callable[[C, Any], A],
        act: Callable[..., object],
        stamp: Callable[[], Mapping[str, object]],
        stamp_of: Callable[[C, A], Mapping[str, object]] | None = None,
    ) -> None:
        self.load = load
        self.act = act
        self.stamp = stamp
        self.stamp_of = stamp_of
        self.id_name = list(inspect.signature(load).parameters)[1]  # (self, <its id>)

    @overload
    def __get__(self, capability: None, owner: type[C]) -> Step[C, A]: ...

    @overload
    def __get__(self, capability: C, owner: type[C]) -> Callable[..., A]: ...

    def __get__(self, capability: C | None, owner: type[C]) -> Step[C, A] | Callable[..., A]:
        if capability is None:
            return self
        return partial(self.run, capability)

    def run(
        self,
        capability: C,
        *ids: object,
        expected_version: int | None,
        meta: Meta,
        **fields: Any,
    ) -> A:
        """The aggregate's id first or by the name `load` gives it; further ids to `act`
        in order or by their names."""
        aggregate_id = ids[0] if ids else fields.pop(self.id_name)
        stamped = self.stamp()
        aggregate = self.load(capability, aggregate_id)
        if self.stamp_of is not None:  # what the aggregate itself decides (its site's day)
            stamped = {**stamped, **self.stamp_of(capability, aggregate)}
        return capability.store.change(
            aggregate,
            expected_version,
            lambda aggregate: self.act(aggregate, *ids[1:], **fields, **stamped, meta=meta),
        )


def unstamped() -> Mapping[str, object]:
    return {}


def step(
    load: Callable[[C, Any], A],
    act: Callable[..., object],
    stamp: Callable[[], Mapping[str, object]] = unstamped,
    stamp_of: Callable[[C, A], Mapping[str, object]] | None = None,
) -> Step[C, A]:
    """The command `act` on the aggregate `load` finds, with what `stamp` gives when it runs
    and what `stamp_of` gives for the aggregate found (e.g. the day at its site)."""
    return Step(load, act, stamp, stamp_of)


class New(Generic[A]):
    """A command that makes a new aggregate from its fields (some renamed) and saves it."""

    def __init__(self, make: Callable[..., A], renamed: Mapping[str, str]) -> None:
        self.make = make
        self.renamed = renamed

    @overload
    def __get__(self, capability: None, owner: type[OnStore]) -> New[A]: ...

    @overload
    def __get__(self, capability: OnStore, owner: type[OnStore]) -> Callable[..., A]: ...

    def __get__(
        self, capability: OnStore | None, owner: type[OnStore]
    ) -> New[A] | Callable[..., A]:
        if capability is None:
            return self
        return partial(self.run, capability)

    def run(self, capability: OnStore, **fields: Any) -> A:
        aggregate = self.make(**{self.renamed.get(name, name): v for name, v in fields.items()})
        capability.store.record(aggregate)
        return aggregate


def new(make: Callable[..., A], **renamed: str) -> New[A]:
    """The command that saves what `make` makes of its fields, `renamed` as `make` names them."""
    return New(make, renamed)


def is_recorded(capability: OnStore, aggregate_id: UUID) -> bool:
    """Whether anything is recorded under the id (a create's retry finds its resource);
    a capability declares it as its `<kind>_exists`."""
    return aggregate_id in capability.store.repository
