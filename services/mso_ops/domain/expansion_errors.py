"""Why a site's monthly pro forma or a prospective site refuses a command."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class InvalidMonthlyProForma(RuleViolation):
    code = "invalid-monthly-pro-forma"
    title = "The planned months are not a valid pro forma"


class MonthlyProFormaNotFound(NotFound):
    code = "monthly-pro-forma-not-found"
    title = "The site has no monthly pro forma"


class MonthNotPlanned(Conflict):
    """Actual costs are recorded only for a month the pro forma plans, once it has begun."""

    code = "month-not-planned"
    title = "The month is not one the pro forma plans, or it has not begun"


class ProspectNotFound(NotFound):
    code = "prospect-not-found"
    title = "No such prospective site"


class InvalidProspectStep(Conflict):
    """The prospect's stage does not allow the step (e.g. a board review without a pro forma)."""

    code = "invalid-prospect-step"
    title = "The prospective site's stage does not allow this step"
