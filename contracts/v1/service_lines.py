"""The service lines both contexts name in their messages (a site's lines at the MSO, a
protocol's or visit template's scope at the PC): one vocabulary, so that a code one side
publishes is a code the other side knows. The messages carry them as strings; the APIs
take them as a `ServiceLineCode`."""

from typing import Literal, get_args

ServiceLineCode = Literal[
    "sports_clearance",
    "school_physical",
    "community_physical",
    "employment_physical",
    "campus_walk_in",
]

SERVICE_LINES: tuple[str, ...] = get_args(ServiceLineCode)
