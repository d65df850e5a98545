from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class SiteNotFound(NotFound):
    code = "site-not-found"
    title = "No such site"


class ServiceLineNotFound(NotFound):
    code = "service-line-not-found"
    title = "This service line is not proposed at this site"


class AppointmentNotFound(NotFound):
    code = "appointment-not-found"
    title = "No such appointment"


class ServiceLineAlreadyProposed(AlreadyExists):
    code = "service-line-already-proposed"
    title = "This service line is already proposed at this site"


class SiteClosed(Conflict):
    code = "site-closed"
    title = "The site is closed"


class AuthorizationAlreadyRequested(Conflict):
    code = "authorization-already-requested"
    title = "An authorization request is pending or in force"


class ServiceLineNotAuthorized(Conflict):
    """No PC authorization in force covers the service line at the site on that date."""

    code = "service-line-not-authorized"
    title = "The PC has not authorized this service line at this site"


class DecisionDoesNotMatch(Conflict):
    code = "decision-does-not-match"
    title = "The PC decision answers another request"


class AppointmentNotActive(Conflict):
    code = "appointment-not-active"
    title = "The appointment is no longer booked"


class InvalidAppointmentTime(RuleViolation):
    code = "invalid-appointment-time"
    title = "The appointment time is not valid"


class AppointmentNotDue(Conflict):
    code = "appointment-not-due"
    title = "The appointment has not started yet"


class InvalidAppointmentOutcome(RuleViolation):
    code = "invalid-appointment-outcome"
    title = "An appointment's outcome is fulfilled or no_show"
