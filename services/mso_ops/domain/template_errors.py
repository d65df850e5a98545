"""The rules of PC-approved visit templates, as domain errors with stable codes."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class VisitTemplateNotFound(NotFound):
    code = "visit-template-not-found"
    title = "The PC has published no such visit template"


class VisitTemplateNotReceived(RuleViolation):
    """A request names a template the PC's feed has not brought (422, names the field)."""

    code = "visit-template-not-received"
    title = "The PC has published no such visit template"


class VisitTemplateNotInForce(Conflict):
    code = "visit-template-not-in-force"
    title = "No version of the visit template is in force for this service line, site and day"


class ScheduleOutsideTemplate(Conflict):
    code = "schedule-outside-visit-template"
    title = "The schedule breaks the limits of the template version in force on that day"


class TemplateLimitExceeded(RuleViolation):
    code = "visit-template-limit-exceeded"
    title = "The schedule asks for more than the PC-approved visit template allows"


class TemplateVersionRecorded(Conflict):
    code = "visit-template-version-recorded"
    title = "This version of the visit template is recorded already"


class VisitTemplateRetired(Conflict):
    code = "visit-template-retired"
    title = "The visit template is retired"
