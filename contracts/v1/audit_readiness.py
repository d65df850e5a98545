"""The PC's monthly audit-readiness figure, major version 1.

PC Governance publishes the figure of a month that is over when its Medical Director
(or PC quality staff) publishes it: the share of the PC's required governance items
current as of the month's last day (protocols, minutes, credentials, corrective
actions, the audit chain, and a held meeting for each month of the governance
calendar). Publishing the month again sends the next revision; the newest one is the
month's figure. Counts only: no item, clinician or record is named.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel


@dataclass(frozen=True)
class MonthFigure:
    """A month's figure as each side keeps it (its events' fields; the revision aside):
    what `audit-readiness.published` carries, the categories as plain mappings."""

    as_of: date
    required: int
    current: int
    categories: list[dict[str, Any]]
    published_at: datetime


class ReadinessCategory(ContractModel):
    category: str = Field(max_length=40, description="protocols, minutes, meetings, ...")
    required: int = Field(ge=0)
    current: int = Field(ge=0)


class AuditReadinessPublishedV1(ContractMessage):
    """`current` of `required` items were current on `as_of`; with none required the
    share is 1."""

    TYPE: ClassVar[str] = "audit-readiness.published"
    VERSION: ClassVar[int] = 1

    month: date = Field(description="The first day of the month")
    revision: int = Field(ge=1, description="1, then one more each time it is published again")
    as_of: date = Field(description="The month's last day: the day the items were judged on")
    required: int = Field(ge=0)
    current: int = Field(ge=0)
    categories: list[ReadinessCategory] = Field(max_length=40)
    published_at: AwareDatetime
