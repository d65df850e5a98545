"""A vendor integration sees and books only at the sites it is contracted for.

Its token's `sites` claim lists them; MSO roles are not scoped by site. A vendor asking
about any other site gets 403, whether it finds, holds, books or reads.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement

from mhg import problems
from mhg.auth import Principal, Role


def check_site_scope(caller: Principal, site_id: UUID) -> None:
    if caller.role == Role.VENDOR and str(site_id) not in caller.sites:
        raise problems.Problem(
            403,
            "site-not-in-scope",
            "Site outside your integration's scope",
            f"your token does not cover site {site_id}",
        )


def vendor_sites(caller: Principal) -> list[UUID]:
    """The sites a vendor's token covers (the claim's entries that are site ids)."""
    sites = []
    for value in caller.sites:
        try:
            sites.append(UUID(value))
        except ValueError:
            continue
    return sites


def scoped(caller: Principal, column: ColumnElement[UUID]) -> list[ColumnElement[bool]]:
    """The filter that keeps a vendor's list to its sites (none for MSO roles)."""
    if caller.role != Role.VENDOR:
        return []
    return [column.in_(vendor_sites(caller))]
