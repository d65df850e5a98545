"""Errors of reference-lab and courier coordination, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class SpecimenNotFound(NotFound):
    code = "specimen-not-found"
    title = "No such specimen"


class CourierRunNotFound(NotFound):
    code = "courier-run-not-found"
    title = "No such courier run"


class SpecimenAlreadyLogged(AlreadyExists):
    code = "specimen-already-logged"
    title = "A specimen with this reference is logged at this site already"


class InvalidSpecimen(RuleViolation):
    code = "invalid-specimen"
    title = "The specimen pickup breaks a rule (a reference is an identifier, no clinical content)"


class InvalidSpecimenTransition(Conflict):
    code = "invalid-specimen-transition"
    title = "The specimen's state does not allow this step"


class InvalidManifest(RuleViolation):
    code = "invalid-manifest"
    title = "The courier run's manifest breaks a rule"


class InvalidCourierRun(RuleViolation):
    code = "invalid-courier-run"
    title = "The courier run needs a courier vendor and a lab"


class InvalidCourierRunTransition(Conflict):
    code = "invalid-courier-run-transition"
    title = "The courier run's state does not allow this step"
