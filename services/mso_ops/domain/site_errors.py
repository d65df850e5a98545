"""Why a site refuses a command: one stable problem type each."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class InvalidSiteTransition(Conflict):
    """The site's status does not allow the step (e.g. going live before the PC approved)."""

    code = "invalid-site-transition"
    title = "The site's status does not allow this step"


class SiteNotReady(Conflict):
    """A go-live request needs every checklist item met, with evidence, and a pro forma."""

    code = "site-not-ready"
    title = "The site's readiness checklist or pro forma is incomplete"


class GoLiveNotEffective(Conflict):
    code = "go-live-not-effective"
    title = "The PC's go-live approval is not effective yet"


class SiteHeldByPc(Conflict):
    """Only a PC reinstatement lifts the PC's suspension of a site's go-live."""

    code = "site-held-by-pc"
    title = "The PC has suspended this site's go-live"


class SiteNotOperating(Conflict):
    code = "site-not-operating"
    title = "The site is suspended or closed"


class SiteNotLive(Conflict):
    """A site takes patients only once the PC approved its go-live and the MSO opened it."""

    code = "site-not-live"
    title = "The site has not gone live"


class InvalidProForma(RuleViolation):
    code = "invalid-pro-forma"
    title = "The pro forma is not valid"


class UnknownChecklistItem(RuleViolation):
    code = "unknown-checklist-item"
    title = "Not an item of the readiness checklist"


class SiteChangeNotFound(NotFound):
    code = "site-change-not-found"
    title = "No such material change at this site"


class InvalidSiteChange(RuleViolation):
    code = "invalid-site-change"
    title = "The material change is not valid"


class EvidenceRequired(RuleViolation):
    """An item is met on the strength of a document: its reference is required."""

    code = "evidence-required"
    title = "A met checklist item needs a document reference"


class OperatingTermExceeded(Conflict):
    """A schedule, a session or a staffing asks for more than the PC approved at the site."""

    code = "operating-term-exceeded"
    title = "Outside the site's approved operating term"


class UnknownTimeZone(RuleViolation):
    code = "unknown-time-zone"
    title = "Not an IANA time zone"
