"""A site's own clock, major version 1.

A site's days (an effective date, "today") are the days on its wall clock (ADR 0027).
The MSO keeps each site's IANA time zone; whenever it is set, changed or removed, the
MSO publishes it, so that PC Governance judges a site's days as the MSO does.
"""

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage


class SiteTimeZoneSetV1(ContractMessage):
    """The site's IANA time zone from `set_at` on; null: the site has none (UTC days)."""

    TYPE: ClassVar[str] = "site.time-zone-set"
    VERSION: ClassVar[int] = 1

    site_id: UUID
    time_zone: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="An IANA time zone name, e.g. America/Los_Angeles",
    )
    set_at: AwareDatetime
