"""The target for one KPI, across the MSO or for one site (a site's target wins over the default)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.kpi_catalogue import BY_NAME, Kpi
from services.mso_ops.domain.performance_errors import InvalidKpiTarget, UnknownKpi

_NAMESPACE = uuid.UUID("5b0f6f8e-2d4c-4b0e-9c1e-7a8d3e2f1c64")
MAX_PLACES = 4


def kpi_named(name: str) -> Kpi:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownKpi(f"no KPI {name!r}; the KPIs are {', '.join(BY_NAME)}") from None


def checked(kpi: Kpi, value: Decimal) -> Decimal:
    if not value.is_finite():
        raise InvalidKpiTarget("a target is a finite number", field="target")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise InvalidKpiTarget(f"a target has at most {MAX_PLACES} decimals", field="target")
    if kpi.lowest is not None and value < kpi.lowest:
        raise InvalidKpiTarget(f"{kpi.name} is never below {kpi.lowest}", field="target")
    if kpi.highest is not None and value > kpi.highest:
        raise InvalidKpiTarget(f"{kpi.name} is never above {kpi.highest}", field="target")
    return value


class KpiTarget(Aggregate):
    @staticmethod
    def create_id(kpi: str, site_id: UUID | None) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{kpi}|{site_id or '*'}")

    @classmethod
    def define(cls, *, kpi: str, site_id: UUID | None, value: Decimal, meta: Meta) -> KpiTarget:
        definition = kpi_named(kpi)
        return cls(
            id=cls.create_id(kpi, site_id),
            kpi=definition.name,
            site_id=site_id,
            value=checked(definition, value),
            meta=meta,
        )

    class Set(Aggregate.Created):
        kpi: str
        site_id: UUID | None
        value: Decimal
        meta: Meta

    @event(Set)
    def __init__(
        self, id: UUID, kpi: str, site_id: UUID | None, value: Decimal, meta: Meta
    ) -> None:
        self.kpi = kpi
        self.site_id = site_id
        self.value = value

    def change(self, value: Decimal, meta: Meta) -> None:
        """A new target from now on; the same target again changes nothing."""
        checked(BY_NAME[self.kpi], value)
        if value != self.value:
            self._changed(value=value, meta=meta)

    class Changed(Aggregate.Event):
        value: Decimal
        meta: Meta

    @event(Changed)
    def _changed(self, value: Decimal, meta: Meta) -> None:
        self.value = value
