"""The service lines both contexts name in their messages (a site's lines at the MSO, a
protocol's or visit template's scope at the PC): one vocabulary, so that a code one side
publishes is a code the other side knows. The messages carry them as strings."""

SERVICE_LINES = (
    "sports_clearance",
    "school_physical",
    "community_physical",
    "employment_physical",
    "campus_walk_in",
)
